import { type Dirent, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import ignoreLib from 'ignore';
import { readRegularFile } from '../../core/read-regular.js';
import { type IgnoreMatcher, ignoredBy, readIgnoreFile } from '../../discover/ignore-rules.js';
import { type IgnorePattern, readPatterns, SourceIgnoreFilter } from '../../discover/source-ignore.js';
import type { RepoFiles } from '../../git/repo-files.js';

export interface SourceEntry {
  /** Path relative to the source root (POSIX). */
  rel: string;
  kind: 'file' | 'dir';
  /** Absolute path of the content (symlinks resolved). */
  real: string;
}

export interface SourceListing {
  entries: SourceEntry[];
  /**
   * Symlinks (relative to the root): source-controller archives only regular files and
   * directories (fluxcd/pkg artifact/storage/archive.go Archive), so the artifact has none.
   */
  symlinks: string[];
}

export interface ListOptions {
  /** The source's `spec.ignore` (gitignore lines from the root of the source). */
  specIgnore?: string | undefined;
  /**
   * What a clone holds, relative to this source root (see git/repo-files.ts). Without it (no git),
   * git-ignored files are left out by reading the `.gitignore` files.
   */
  repo?: RepoFiles | undefined;
}

/**
 * The files of a source root as Flux's artifact holds them: what a clone holds (git-tracked files,
 * never git-ignored ones), no symlinks, and without what source-controller's filter excludes
 * (source-ignore.ts: the defaults, or the `.sourceignore` files and `spec.ignore`), each path
 * decided on its own as the archiver does.
 */
export function listSourceFiles(root: string, options: ListOptions | string = {}): SourceListing {
  const { specIgnore, repo } =
    typeof options === 'string' ? { specIgnore: options, repo: undefined } : options;
  const realRoot = realpathSync(root);
  // sourceignore.LoadIgnorePatterns order: a directory's own file, then its subdirectories by
  // name, depth first; each file's patterns scoped to its directory.
  const sourceIgnores: IgnorePattern[] = [];
  const gitIgnores: IgnoreMatcher[] = [];
  const all: SourceEntry[] = [];
  const symlinks: string[] = [];
  const inClone = (rel: string, isDir: boolean) => (isDir ? repo!.dirs.has(rel) : repo!.files.has(rel));
  const walk = (rel: string, real: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(real, { withFileTypes: true }).sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
    } catch {
      return;
    }
    const has = (name: string) =>
      entries.some((e) => e.name === name && e.isFile()) &&
      (!repo || repo.files.has(rel === '' ? name : `${rel}/${name}`));
    if (has('.sourceignore')) {
      const text = readText(path.join(real, '.sourceignore'));
      sourceIgnores.push(...readPatterns(text, rel === '' ? [] : rel.split('/')));
    }
    if (!repo && has('.gitignore')) {
      const lines = readIgnoreFile(path.join(real, '.gitignore'));
      if (lines) gitIgnores.push({ base: rel, ig: ignoreLib().add(lines) });
    }
    for (const entry of entries) {
      const name = entry.name;
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const childReal = path.join(real, name);
      const isDir = entry.isDirectory();
      if (isDir && name === '.git') continue;
      // What a clone never holds: files git ignores (node_modules and the like) or does not know.
      if (repo ? !inClone(childRel, isDir) : ignoredBy(gitIgnores, childRel, isDir)) continue;
      if (entry.isSymbolicLink()) symlinks.push(childRel);
      else if (isDir) {
        all.push({ rel: childRel, kind: 'dir', real: childReal });
        walk(childRel, childReal);
      } else if (entry.isFile()) all.push({ rel: childRel, kind: 'file', real: childReal });
    }
  };
  walk('', realRoot);
  const filter = new SourceIgnoreFilter(sourceIgnores, specIgnore);
  const kept = all.filter((entry) => !filter.excludes(entry.rel, entry.kind === 'dir'));
  // An excluded directory whose files are kept is in the artifact as their parent (tar extraction
  // creates it); one with nothing kept below it is not.
  const parents = new Set<string>();
  for (const entry of kept)
    for (let i = entry.rel.indexOf('/'); i >= 0; i = entry.rel.indexOf('/', i + 1))
      parents.add(entry.rel.slice(0, i));
  const listed = new Set(kept.map((e) => e.rel));
  const entries = [
    ...kept,
    ...all.filter((e) => e.kind === 'dir' && parents.has(e.rel) && !listed.has(e.rel)),
  ].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { entries, symlinks };
}

function readText(file: string): string | undefined {
  try {
    return readRegularFile(file).toString('utf8');
  } catch {
    return undefined;
  }
}
