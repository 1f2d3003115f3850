import { statSync } from 'node:fs';
import path from 'node:path';
import { fluxgateCacheDir } from '../cache/cache-dir.js';
import { UsageError } from '../core/errors.js';
import { compilePolicyDir } from './compile.js';
import { locateOpa } from './locate-opa.js';
import { PolicyModule } from './policy-module.js';
import { type PolicySet, userSet } from './policy-set.js';
import type { UserPolicyDir } from './user-policy-dirs.js';

export type { UserPolicyDir } from './user-policy-dirs.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Where compiled user policies are cached by content: `<fluxgate cache dir>/policies`. */
export function policyCacheDir(env: Env): string | undefined {
  const dir = fluxgateCacheDir(env);
  return dir ? path.join(dir, 'policies') : undefined;
}

/**
 * Compiles each user policy directory with opa (cached by content) and loads it. A directory that
 * does not exist is a usage error; one that does not compile, a ToolError with opa's file:line.
 */
export async function loadUserPolicies(
  dirs: readonly UserPolicyDir[],
  options: { root: string; env: Env; debug?: (message: string) => void },
): Promise<PolicySet[]> {
  if (dirs.length === 0) return [];
  for (const dir of dirs) {
    let ok = false;
    try {
      ok = statSync(dir.path).isDirectory();
    } catch {
      ok = false;
    }
    if (!ok) throw new UsageError(`policy directory ${dir.path}: not a directory`);
  }
  const opaBin = locateOpa(options.env, 'user policies (--policy, policies: in .fluxgate.yaml)');
  const cacheDir = policyCacheDir(options.env);
  return Promise.all(
    dirs.map(async (dir) => {
      const started = performance.now();
      const compiled = await compilePolicyDir(dir.path, {
        opaBin,
        ...(dir.regoVersion ? { regoVersion: dir.regoVersion } : {}),
        ...(cacheDir ? { cacheDir } : {}),
      });
      const name = path.relative(options.root, dir.path).split(path.sep).join('/') || '.';
      const namespace = dir.namespace ?? 'main';
      options.debug?.(
        `policy ${name}: packages ${compiled.entrypoints.join(', ')} (evaluating ${namespace}), ${(performance.now() - started).toFixed(0)} ms`,
      );
      return userSet(name, await PolicyModule.load(compiled), compiled, namespace);
    }),
  );
}
