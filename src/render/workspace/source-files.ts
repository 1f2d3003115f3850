import { lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

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

interface Matcher {
  base: string;
  ig: Ignore;
}

function readIgnoreFile(file: string): string[] | undefined {
  try {
    return readFileSync(file, 'utf8').split(/\r?\n/);
  } catch {
    return undefined;
  }
}

function ignored(matchers: readonly Matcher[], rel: string, dir: boolean): boolean {
  let state = false;
  for (const { base, ig } of matchers) {
    if (base !== '' && !rel.startsWith(`${base}/`)) continue;
    const sub = base === '' ? rel : rel.slice(base.length + 1);
    const result = ig.test(dir ? `${sub}/` : sub);
    if (result.ignored) state = true;
    else if (result.unignored) state = false;
  }
  return state;
}

function patternLines(text: string | undefined): string[] {
  return (text ?? '').split(/\r?\n/).filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

/**
 * The files of a source root as Flux's artifact holds them: no symlinks, without source-controller's
 * ignores (defaults, or `.sourceignore` files scoped to their directory plus the source's
 * `spec.ignore`), and without git-ignored files (never committed, so never in a GitRepository).
 */
export function listSourceFiles(root: string, specIgnore?: string): SourceListing {
  const realRoot = realpathSync(root);
  const sourceIgnores: Matcher[] = [];
  const gitIgnores: Matcher[] = [];
  const all: SourceEntry[] = [];
  const symlinks: string[] = [];
  const walk = (rel: string, real: string) => {
    const sourceignore = patternLines(readIgnoreFile(path.join(real, '.sourceignore'))?.join('\n'));
    if (sourceignore.length > 0) sourceIgnores.push({ base: rel, ig: ignore().add(sourceignore) });
    const gitignore = readIgnoreFile(path.join(real, '.gitignore'));
    if (gitignore) gitIgnores.push({ base: rel, ig: ignore().add(gitignore) });
    let names: string[];
    try {
      names = readdirSync(real).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const childReal = path.join(real, name);
      const stat = lstatSync(childReal);
      const isDir = stat.isDirectory();
      // Git-ignored files are never committed: skipped while walking (node_modules and the like).
      if ((isDir && name === '.git') || ignored(gitIgnores, childRel, isDir)) continue;
      if (stat.isSymbolicLink()) symlinks.push(childRel);
      else if (isDir) {
        all.push({ rel: childRel, kind: 'dir', real: childReal });
        walk(childRel, childReal);
      } else if (stat.isFile()) all.push({ rel: childRel, kind: 'file', real: childReal });
    }
  };
  walk('', realRoot);
  const specPatterns = patternLines(specIgnore);
  const custom = sourceIgnores.length > 0 || specPatterns.length > 0;
  const matchers: Matcher[] = [
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
    const out = (parent !== '' && excluded.has(parent)) || ignored(matchers, entry.rel, entry.kind === 'dir');
    if (out) excluded.add(entry.rel);
    return !out;
  });
  return { entries, symlinks };
}
