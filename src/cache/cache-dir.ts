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
