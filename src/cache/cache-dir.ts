import { chmodSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * fluxgate's cache directory, outside every repository: `$FLUXGATE_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/fluxgate`, else `~/.cache/fluxgate`. Undefined when the environment names no
 * home at all (then nothing is cached).
 */
export function fluxgateCacheDir(env: Env): string | undefined {
  if (env.FLUXGATE_CACHE_DIR) return path.resolve(env.FLUXGATE_CACHE_DIR);
  const home = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : undefined);
  return home ? path.join(home, 'fluxgate') : undefined;
}

/**
 * A directory of the cache and its missing parents, all private to the user (0700): rendered
 * Secrets are in the cache. Every directory fluxgate makes in the cache is made through this.
 */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * The cache directory itself, made private: created 0700, or narrowed to 0700 when an earlier
 * fluxgate left it open to others. Best effort: a cache that cannot be changed is still used.
 */
export function secureCacheDir(dir: string): void {
  try {
    makePrivateDir(dir);
    const stat = statSync(dir);
    if ((stat.mode & 0o077) !== 0 && stat.uid === process.getuid?.()) chmodSync(dir, stat.mode & 0o700);
  } catch {
    // read-only or foreign: the entries are 0600 regardless
  }
}
