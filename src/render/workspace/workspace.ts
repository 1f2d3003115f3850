import { copyFileSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { contentKey } from '../../cache/store.js';
import { readRegularFile } from '../../core/read-regular.js';
import type { RepoFiles } from '../../git/repo-files.js';
import { listSourceFiles, type SourceListing } from './source-files.js';
import { makeTempDir, removeTempDir } from './temp-dirs.js';

/**
 * A filtered copy of one source root in a temporary directory outside the repository: what Flux's
 * artifact holds, never the user's files themselves (builds write kustomization files). Files are
 * hard links when the file system allows (no data copied, and nothing ever writes through them:
 * every file fluxgate writes is a new file in a per-target directory), else copies.
 */
export class SourceWorkspace {
  readonly base: string;
  readonly src: string;
  readonly listing: SourceListing;
  private readonly overrides: ReadonlyMap<string, string>;
  /** Source-relative path → kind, as the artifact holds it (unsaved buffers included). */
  private readonly kinds = new Map<string, 'file' | 'dir'>([['', 'dir']]);
  private readonly children = new Map<string, string[]>();
  private readonly reals = new Map<string, string>();
  /** Directories of the copy made, and paths whose whole tree is in it. */
  private readonly made = new Set<string>();
  private readonly trees = new Set<string>();
  private targets = 0;

  constructor(
    readonly root: string,
    options: {
      specIgnore?: string | undefined;
      overrides?: ReadonlyMap<string, string>;
      /** What a clone holds, relative to this source root (undefined: no git; .gitignore files decide). */
      repo?: RepoFiles | undefined;
    } = {},
  ) {
    this.listing = listSourceFiles(root, { specIgnore: options.specIgnore, repo: options.repo });
    this.overrides = options.overrides ?? new Map();
    const add = (rel: string, kind: 'file' | 'dir') => {
      if (this.kinds.has(rel)) return;
      this.kinds.set(rel, kind);
      const slash = rel.lastIndexOf('/');
      const parent = slash < 0 ? '' : rel.slice(0, slash);
      if (parent !== '') add(parent, 'dir');
      const siblings = this.children.get(parent) ?? [];
      siblings.push(slash < 0 ? rel : rel.slice(slash + 1));
      this.children.set(parent, siblings);
    };
    for (const entry of this.listing.entries) {
      add(entry.rel, entry.kind);
      if (entry.kind === 'file') this.reals.set(entry.rel, entry.real);
    }
    for (const rel of this.overrides.keys()) add(rel, 'file');
    this.base = makeTempDir();
    this.src = path.join(this.base, 'src');
  }

  /** Where a source-relative path lives in the copy (which may not hold it yet). */
  private copyPath(rel: string): string {
    return rel === '' ? this.src : path.join(this.src, ...rel.split('/'));
  }

  /** A directory of the copy, with its parents (not their other entries). */
  private ensureDir(rel: string): void {
    if (this.made.has(rel)) return;
    if (rel !== '') this.ensureDir(rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '');
    mkdirSync(this.copyPath(rel), { recursive: true });
    this.made.add(rel);
  }

  /** A file, or a directory with everything below it, in the copy. */
  private ensureTree(rel: string): void {
    const kind = this.kind(rel);
    const normal = rel === '' ? '' : path.posix.normalize(rel).replace(/\/$/, '');
    if (kind === undefined || this.trees.has(normal)) return;
    this.trees.add(normal);
    if (kind === 'dir') {
      this.ensureDir(normal);
      for (const name of this.children.get(normal) ?? [])
        this.ensureTree(normal === '' ? name : `${normal}/${name}`);
      return;
    }
    this.ensureDir(normal.includes('/') ? normal.slice(0, normal.lastIndexOf('/')) : '');
    const to = this.copyPath(normal);
    const text = this.overrides.get(normal);
    if (text !== undefined) writeFileSync(to, text);
    else linkOrCopy(this.reals.get(normal)!, to);
  }

  /**
   * The filtered copy on disk, written as builds need it: only what a build reads (its target
   * directory, and each path its kustomizations name), so a one-file change does not copy the
   * whole repository; all of it for a build whose reads are not known.
   */
  private materialize(reads?: readonly string[]): void {
    for (const rel of reads ?? ['']) this.ensureTree(rel);
  }

  /** Absolute path in the filtered copy of a path relative to the source root (written if needed). */
  srcPath(rel: string): string {
    this.ensureTree(rel);
    return this.copyPath(rel);
  }

  /** Whether a source-relative path is a file or a directory of the artifact (without touching disk). */
  kind(rel: string): 'file' | 'dir' | undefined {
    const normal = path.posix.normalize(rel === '' ? '.' : rel);
    if (normal === '.') return 'dir';
    if (normal.startsWith('../') || normal === '..' || normal.startsWith('/')) return undefined;
    return this.kinds.get(normal.replace(/\/$/, ''));
  }

  /**
   * What kustomize finds at a source-relative path, for cache keys: a file's content hash, a
   * directory's entry names, or nothing.
   */
  digest(rel: string): string {
    // Bases are read by many builds: each path is hashed once per run (the source does not change
    // while it runs).
    let known = this.digests.get(rel);
    if (known === undefined) {
      known = this.computeDigest(rel);
      this.digests.set(rel, known);
    }
    return known;
  }

  private readonly digests = new Map<string, string>();

  private computeDigest(rel: string): string {
    const kind = this.kind(rel);
    if (kind === undefined) return '-';
    if (kind === 'dir') return `d:${[...(this.children.get(rel) ?? [])].sort().join('/')}`;
    const text = this.overrides.get(rel);
    if (text !== undefined) return `f:${contentKey(Buffer.from(text))}`;
    const real = this.reals.get(rel);
    try {
      return real === undefined ? '-' : `f:${contentKey(readRegularFile(real))}`;
    } catch {
      return '-';
    }
  }

  /**
   * A directory tree for one build whose target directory is real and holds `files` (the merged
   * kustomization), and whose every other entry is a symlink into the shared copy. Relative paths
   * from the target resolve as in the source (kustomize follows the links), and concurrent builds of
   * targets sharing directories never see each other's kustomization files. `reads` narrows the
   * links above the target to the paths the build reads.
   */
  prepareTarget(
    targetRel: string,
    files: Readonly<Record<string, string>>,
    reads?: readonly string[],
  ): string {
    this.materialize(reads && [targetRel, ...reads]);
    const top = path.join(this.base, `t${++this.targets}`);
    mkdirSync(top);
    const parts = targetRel === '' ? [] : targetRel.split('/');
    // With the paths the build reads (source-relative), directories above the target only get the
    // entries on the way to them: a handful of links instead of every sibling of every ancestor.
    const onTheWay = reads && waypoints(reads);
    let rel = '';
    let dir = top;
    for (let level = 0; level <= parts.length; level++) {
      const next = parts[level];
      for (const name of this.children.get(rel) ?? []) {
        if (name === next) continue;
        if (level === parts.length && Object.hasOwn(files, name)) continue;
        if (level < parts.length && onTheWay && !onTheWay.has(rel === '' ? name : `${rel}/${name}`)) continue;
        symlinkSync(path.join(this.copyPath(rel), name), path.join(dir, name));
      }
      if (next === undefined) break;
      rel = rel === '' ? next : `${rel}/${next}`;
      dir = path.join(dir, next);
      mkdirSync(dir);
    }
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return dir;
  }

  dispose(): void {
    removeTempDir(this.base);
  }
}

/** Every path and each of its ancestors. */
function waypoints(paths: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    const parts = p.split('/');
    for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join('/'));
  }
  return out;
}

function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}
