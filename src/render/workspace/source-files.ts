import { type Dirent, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import { type IgnoreMatcher, ignoredBy, patternLines, readIgnoreFile } from '../../discover/ignore-rules.js';

/**
 * What source-controller leaves out of every artifact, as gitignore patterns (fluxcd/pkg
 * sourceignore.go: ExcludeVCS, ExcludeExt, ExcludeCI, ExcludeExtra). As soon as any `.sourceignore`
 * file or the source's `spec.ignore` gives a pattern, only the VCS ones stay (fluxcd/pkg
 * artifact/storage/archive.go SourceIgnoreFilter).
 */
export const FLUX_VCS_IGNORES = ['.git/', '.gitignore', '.gitmodules', '.gitattributes'];
export const FLUX_DEFAULT_IGNORES = [
  '*.jpg',
  '*.jpeg',
  '*.gif',
  '*.png',
  '*.wmv',
  '*.flv',
  '*.tar.gz',
  '*.zip',
  '.github/',
  '.circleci/',
  '.travis.yml',
  '.gitlab-ci.yml',
  'appveyor.yml',
  '.drone.yml',
  'cloudbuild.yaml',
  'codeship-services.yml',
  'codeship-steps.yml',
  '**/.goreleaser.yml',
  '**/.sops.yaml',
  '**/.flux.yaml',
];

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

/**
 * The files of a source root as Flux's artifact holds them: no symlinks, without source-controller's
 * ignores (defaults, or `.sourceignore` files scoped to their directory plus the source's
 * `spec.ignore`), and without git-ignored files (never committed, so never in a GitRepository).
 */
export function listSourceFiles(root: string, specIgnore?: string): SourceListing {
  const realRoot = realpathSync(root);
  const sourceIgnores: IgnoreMatcher[] = [];
  const gitIgnores: IgnoreMatcher[] = [];
  const all: SourceEntry[] = [];
  const symlinks: string[] = [];
  const walk = (rel: string, real: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(real, { withFileTypes: true }).sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
    } catch {
      return;
    }
    // Ignore files are read where they exist (no failed open per directory).
    const has = (name: string) => entries.some((e) => e.name === name && e.isFile());
    if (has('.sourceignore')) {
      const sourceignore = patternLines(readIgnoreFile(path.join(real, '.sourceignore'))?.join('\n'));
      if (sourceignore.length > 0) sourceIgnores.push({ base: rel, ig: ignore().add(sourceignore) });
    }
    const gitignore = has('.gitignore') ? readIgnoreFile(path.join(real, '.gitignore')) : undefined;
    if (gitignore) gitIgnores.push({ base: rel, ig: ignore().add(gitignore) });
    for (const entry of entries) {
      const name = entry.name;
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const childReal = path.join(real, name);
      const isDir = entry.isDirectory();
      // Git-ignored files are never committed: skipped while walking (node_modules and the like).
      if ((isDir && name === '.git') || ignoredBy(gitIgnores, childRel, isDir)) continue;
      if (entry.isSymbolicLink()) symlinks.push(childRel);
      else if (isDir) {
        all.push({ rel: childRel, kind: 'dir', real: childReal });
        walk(childRel, childReal);
      } else if (entry.isFile()) all.push({ rel: childRel, kind: 'file', real: childReal });
    }
  };
  walk('', realRoot);
  const specPatterns = patternLines(specIgnore);
  const custom = sourceIgnores.length > 0 || specPatterns.length > 0;
  const matchers: IgnoreMatcher[] = [
    {
      base: '',
      ig: ignore().add(custom ? FLUX_VCS_IGNORES : [...FLUX_VCS_IGNORES, ...FLUX_DEFAULT_IGNORES]),
    },
    ...sourceIgnores,
    ...(specPatterns.length > 0 ? [{ base: '', ig: ignore().add(specPatterns) }] : []),
  ];
  const excluded = new Set<string>();
  const entries = all.filter((entry) => {
    const parent = entry.rel.includes('/') ? entry.rel.slice(0, entry.rel.lastIndexOf('/')) : '';
    const out =
      (parent !== '' && excluded.has(parent)) || ignoredBy(matchers, entry.rel, entry.kind === 'dir');
    if (out) excluded.add(entry.rel);
    return !out;
  });
  return { entries, symlinks };
}
