import path from 'node:path';
import type { Config } from '../config/config.js';

export interface UserPolicyDir {
  /** Absolute directory. */
  path: string;
  /** conftest's `--namespace`: the package evaluated (default `main`). */
  namespace?: string;
  regoVersion?: 'v0' | 'v1';
}

/**
 * The user policy directories of a run: `policies:` of the config (relative to the repository
 * root), then `--policy DIR` flags (relative to the working directory), each once.
 */
export function userPolicyDirs(
  configured: Config['policies'],
  root: string,
  flags: readonly string[] = [],
  cwd: string = root,
): UserPolicyDir[] {
  const dirs: UserPolicyDir[] = [
    ...configured.map((p) =>
      typeof p === 'string' ? { path: path.resolve(root, p) } : { ...p, path: path.resolve(root, p.path) },
    ),
    ...flags.map((p) => ({ path: path.resolve(cwd, p) })),
  ];
  return dirs.filter((d, i) => dirs.findIndex((o) => o.path === d.path) === i);
}
