import { realpathSync } from 'node:fs';
import path from 'node:path';
import { globby } from 'globby';
import { DEFAULT_EXCLUDES } from '../config/config.js';
import { isInside, toRepoPath } from '../core/paths.js';
import { FLUX_DEFAULT_IGNORES } from './flux-ignore.js';

export interface DiscoverOptions {
  root: string;
  /** Config `exclude` globs, relative to the root. */
  exclude: readonly string[];
}

const YAML_GLOB = '**/*.{yaml,yml}';

/** Directories holding a Helm chart: Go templates and chart values, not manifests. */
async function chartDirectories(root: string, ignore: string[]): Promise<string[]> {
  const charts = await globby('**/Chart.yaml', { cwd: root, ignore, gitignore: true, dot: true });
  return charts.map((file) => path.posix.dirname(file));
}

/**
 * Every YAML file of the repository, repository-relative and sorted, honouring `.gitignore`,
 * Flux's `.sourceignore` files and default ignores, config excludes and Helm chart folders.
 * Symlinks are never followed out of the root.
 */
export async function discoverFiles(options: DiscoverOptions): Promise<string[]> {
  const { root } = options;
  const ignore = ['**/node_modules/**', ...FLUX_DEFAULT_IGNORES, ...DEFAULT_EXCLUDES, ...options.exclude];
  const charts = await chartDirectories(root, ignore);
  const chartIgnores = charts.map((dir) => (dir === '.' ? '**' : `${dir}/**`));
  const files = await globby(YAML_GLOB, {
    cwd: root,
    ignore: [...ignore, ...chartIgnores],
    gitignore: true,
    ignoreFiles: ['**/.sourceignore'],
    dot: true,
    followSymbolicLinks: false,
  });
  const realRoot = realpathSync(root);
  return files
    .filter((file) => {
      try {
        return isInside(realRoot, realpathSync(path.join(root, file)));
      } catch {
        return false; // a dangling link
      }
    })
    .sort();
}

/** Narrows the discovered files to those below a directory or equal to a file (both repo-relative). */
export function inScope(file: string, scopes: readonly string[]): boolean {
  if (scopes.length === 0) return true;
  return scopes.some(
    (scope) => scope === '' || scope === '.' || file === scope || file.startsWith(`${scope}/`),
  );
}

export { toRepoPath };
