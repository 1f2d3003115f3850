import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import picomatch from 'picomatch';
import { DEFAULT_EXCLUDES } from '../config/config.js';
import { isInside, toRepoPath } from '../core/paths.js';
import type { RepoFiles } from '../git/repo-files.js';
import { FLUX_DEFAULT_IGNORES } from './flux-ignore.js';
import { type IgnoreMatcher, ignoredBy, readIgnoreFile } from './ignore-rules.js';
import { type IgnorePattern, matchesIgnore, readPatterns } from './source-ignore.js';

export interface DiscoverOptions {
  root: string;
  /** Config `exclude` globs, relative to the root. */
  exclude: readonly string[];
  /** What a clone holds (git); without it, `.gitignore` files decide what is never committed. */
  repo?: RepoFiles | undefined;
}

const YAML_NAME = /\.ya?ml$/;

/**
 * Every YAML file of the repository, repository-relative and sorted: what a clone holds (git; or
 * the tree minus `.gitignore`d files), without what Flux's `.sourceignore` files exclude (decided
 * per path as source-controller does, so a `!` pattern brings back files below an excluded
 * directory), default ignores, config excludes and Helm chart folders (a directory holding
 * `Chart.yaml`: Go templates, not manifests). Symlinked directories are not entered; a symlinked
 * file counts only if it resolves inside the root. One walk of the tree.
 */
export async function discoverFiles(options: DiscoverOptions): Promise<string[]> {
  const { root, repo } = options;
  const excluded = picomatch(
    ['**/node_modules/**', ...FLUX_DEFAULT_IGNORES, ...DEFAULT_EXCLUDES, ...options.exclude],
    { dot: true },
  );
  const realRoot = realpathSync(root);
  const gitIgnores: IgnoreMatcher[] = [];
  // The .sourceignore patterns of the directories on the way (each scoped to its directory).
  const sourceIgnores: IgnorePattern[] = [];
  const notInClone = (rel: string, dir: boolean) =>
    repo ? !(dir ? repo.dirs.has(rel) : repo.files.has(rel)) : ignoredBy(gitIgnores, rel, dir);
  const skip = (rel: string, dir: boolean) =>
    excluded(rel) || notInClone(rel, dir) || (!dir && matchesIgnore(sourceIgnores, rel.split('/'), false));
  const files: string[] = [];
  const walk = (rel: string) => {
    const abs = rel === '' ? root : path.join(root, rel);
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    const has = (name: string) => entries.some((e) => e.name === name && !e.isDirectory());
    const sourceIgnore = has('.sourceignore')
      ? readPatterns(
          readIgnoreFile(path.join(abs, '.sourceignore'))?.join('\n'),
          rel === '' ? [] : rel.split('/'),
        )
      : [];
    sourceIgnores.push(...sourceIgnore);
    const pushed = [!repo && has('.gitignore') && add(gitIgnores, rel, path.join(abs, '.gitignore'))];
    const chart = has('Chart.yaml') && !skip(rel === '' ? 'Chart.yaml' : `${rel}/Chart.yaml`, false);
    if (!chart)
      for (const entry of entries) {
        const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
        if (entry.isDirectory()) {
          if (!skip(child, true)) walk(child);
        } else if (YAML_NAME.test(entry.name) && !skip(child, false)) {
          if (
            entry.isFile() ||
            (entry.isSymbolicLink() && resolvesInside(realRoot, path.join(abs, entry.name)))
          )
            files.push(child);
        }
      }
    sourceIgnores.length -= sourceIgnore.length;
    if (pushed[0]) gitIgnores.pop();
  };
  walk('');
  return files.sort();
}

/** Adds an ignore file's patterns for paths below `base`; false when it has none. */
function add(matchers: IgnoreMatcher[], base: string, file: string): boolean {
  const lines = readIgnoreFile(file);
  if (!lines) return false;
  matchers.push({ base, ig: ignore().add(lines) });
  return true;
}

/** A symlink to a file inside the root (never one out of it, never a dangling one). */
function resolvesInside(realRoot: string, link: string): boolean {
  try {
    const target = realpathSync(link);
    return isInside(realRoot, target) && statSync(target).isFile();
  } catch {
    return false;
  }
}

/** Narrows the discovered files to those below a directory or equal to a file (both repo-relative). */
export function inScope(file: string, scopes: readonly string[]): boolean {
  if (scopes.length === 0) return true;
  return scopes.some(
    (scope) => scope === '' || scope === '.' || file === scope || file.startsWith(`${scope}/`),
  );
}

export { toRepoPath };
