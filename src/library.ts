import path from 'node:path';
import { fluxgateCacheDir } from './cache/cache-dir.js';
import { type ValidateOptions, type ValidateResult, validate as validateRun } from './validate.js';

/**
 * `validate` as the library exports it: like the CLI, by default it looks up tools (kustomize,
 * opa) with the caller's environment and uses fluxgate's cache directory. This entry point, like
 * src/cli/ and bin/, is where the caller's process is read; the pipeline itself takes everything
 * as options. `render.env` replaces the environment; `cacheDir: undefined` turns the cache off.
 */
export function validate(options: ValidateOptions): Promise<ValidateResult> {
  const env = options.render?.env ?? process.env;
  const cacheDir = Object.hasOwn(options, 'cacheDir') ? options.cacheDir : fluxgateCacheDir(env);
  const schemaCacheDir = cacheDir ? path.join(cacheDir, 'schemas') : undefined;
  return validateRun({
    ...options,
    ...(cacheDir ? { cacheDir } : {}),
    schema: { ...(schemaCacheDir ? { schemaCacheDir } : {}), ...options.schema },
    render: { ...options.render, env },
  });
}
