import { goMatch } from './go-glob.js';

/**
 * What source-controller leaves out of a Flux artifact, decided exactly as it does: fluxcd/pkg
 * `sourceignore` (v0.18, its own fork of go-git's gitignore matcher) applied by
 * fluxcd/pkg `artifact/storage` (`SourceIgnoreFilter`, `Archive`).
 *
 * Unlike git, every path is decided on its own: the archiver walks into excluded directories, and
 * a pattern matches a path when it matches the path's leading components. So `/*` followed by
 * `!/k8s/global` keeps everything below `k8s/global` although `k8s` itself is excluded (the
 * directory entry is dropped, the files below it are archived). The last matching pattern wins.
 */

export const EXCLUDE_VCS = ['.git/', '.gitignore', '.gitmodules', '.gitattributes'];
export const EXCLUDE_EXT = ['*.jpg', '*.jpeg', '*.gif', '*.png', '*.wmv', '*.flv', '*.tar.gz', '*.zip'];
export const EXCLUDE_DEFAULTS = [
  ...EXCLUDE_EXT,
  // ExcludeCI
  '.github/',
  '.circleci/',
  '.travis.yml',
  '.gitlab-ci.yml',
  'appveyor.yml',
  '.drone.yml',
  'cloudbuild.yaml',
  'codeship-services.yml',
  'codeship-steps.yml',
  // ExcludeExtra
  '**/.goreleaser.yml',
  '**/.sops.yaml',
  '**/.flux.yaml',
];

enum Result {
  NoMatch,
  Exclude,
  Include,
}

/** One parsed pattern (gitignore.ParsePattern), scoped to `domain` (the directory it was read in). */
export interface IgnorePattern {
  domain: readonly string[];
  parts: readonly string[];
  inclusion: boolean;
  dirOnly: boolean;
  isGlob: boolean;
}

/** gitignore.ParsePattern: `!` negates, trailing spaces go (unless escaped), a trailing `/` means directories only. */
export function parsePattern(line: string, domain: readonly string[] = []): IgnorePattern {
  let p = line;
  let inclusion = false;
  if (p.startsWith('!')) {
    inclusion = true;
    p = p.slice(1);
  }
  if (!p.endsWith('\\ ')) p = p.replace(/ +$/, '');
  let dirOnly = false;
  if (p.endsWith('/')) {
    dirOnly = true;
    p = p.slice(0, -1);
  }
  return { domain: [...domain], parts: p.split('/'), inclusion, dirOnly, isGlob: p.includes('/') };
}

/** sourceignore.ReadPatterns: one pattern per line that is neither blank nor a `#` comment. */
export function readPatterns(text: string | undefined, domain: readonly string[] = []): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  // bufio.Scanner's ScanLines: "\n" separates, a "\r" before it is dropped.
  for (const raw of (text ?? '').split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.startsWith('#') && line.trim().length > 0) out.push(parsePattern(line, domain));
  }
  return out;
}

function matchPattern(p: IgnorePattern, path: readonly string[], isDir: boolean): Result {
  if (path.length <= p.domain.length) return Result.NoMatch;
  for (let i = 0; i < p.domain.length; i++) if (path[i] !== p.domain[i]) return Result.NoMatch;
  const rest = path.slice(p.domain.length);
  const matched = p.isGlob ? globMatch(p, rest, isDir) : simpleNameMatch(p, rest, isDir);
  if (!matched) return Result.NoMatch;
  return p.inclusion ? Result.Include : Result.Exclude;
}

function simpleNameMatch(p: IgnorePattern, path: readonly string[], isDir: boolean): boolean {
  for (let i = 0; i < path.length; i++) {
    if (!goMatch(p.parts[0]!, path[i]!)) continue;
    if (p.dirOnly && !isDir && i === path.length - 1) return false;
    return true;
  }
  return false;
}

function globMatch(p: IgnorePattern, input: readonly string[], isDir: boolean): boolean {
  let path = input;
  let matched = false;
  let canTraverse = false;
  for (let i = 0; i < p.parts.length; i++) {
    const pattern = p.parts[i]!;
    if (pattern === '') {
      canTraverse = false;
      continue;
    }
    if (pattern === '**') {
      if (i === p.parts.length - 1) break;
      canTraverse = true;
      continue;
    }
    if (pattern.includes('**')) return false;
    if (path.length === 0) return false;
    if (canTraverse) {
      canTraverse = false;
      while (path.length > 0) {
        const e = path[0]!;
        path = path.slice(1);
        if (goMatch(pattern, e)) {
          matched = true;
          break;
        }
        if (path.length === 0) matched = false;
      }
    } else {
      if (!goMatch(pattern, path[0]!)) return false;
      matched = true;
      path = path.slice(1);
    }
  }
  if (matched && p.dirOnly && !isDir && path.length === 0) matched = false;
  return matched;
}

/** gitignore.Matcher: the last pattern with an opinion decides. */
export function matchesIgnore(
  patterns: readonly IgnorePattern[],
  path: readonly string[],
  isDir: boolean,
): boolean {
  for (let i = patterns.length - 1; i >= 0; i--) {
    const result = matchPattern(patterns[i]!, path, isDir);
    if (result !== Result.NoMatch) return result === Result.Exclude;
  }
  return false;
}

/**
 * The artifact filter of one source: `.sourceignore` patterns (each scoped to its directory, in
 * the order sourceignore.LoadIgnorePatterns reads them: a directory's file, then its
 * subdirectories by name, depth first) and the source's `spec.ignore`. With no pattern at all,
 * the VCS and default exclusions apply; with any, only the VCS ones stay in front of them
 * (artifact/storage SourceIgnoreFilter).
 */
export class SourceIgnoreFilter {
  private readonly patterns: IgnorePattern[];

  constructor(sourceIgnores: readonly IgnorePattern[], specIgnore?: string) {
    const own = [...sourceIgnores, ...readPatterns(specIgnore)];
    const vcs = EXCLUDE_VCS.map((line) => parsePattern(line));
    this.patterns =
      own.length > 0 ? [...vcs, ...own] : [...vcs, ...EXCLUDE_DEFAULTS.map((line) => parsePattern(line))];
  }

  /** Whether the artifact leaves out `rel` (source-relative, POSIX). */
  excludes(rel: string, isDir: boolean): boolean {
    return matchesIgnore(this.patterns, rel.split('/'), isDir);
  }
}
