import {
  copyFileSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { contentKey } from '../../cache/store.js';
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
  private materialized = false;
  private targets = 0;

  constructor(
    readonly root: string,
    options: { specIgnore?: string | undefined; overrides?: ReadonlyMap<string, string> } = {},
  ) {
    this.listing = listSourceFiles(root, options.specIgnore);
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

  /**
   * The filtered copy on disk, made on first use: a run whose builds all come from the cache
   * never writes it.
   */
  private materialize(): void {
    if (this.materialized) return;
    this.materialized = true;
    mkdirSync(this.src);
    for (const entry of this.listing.entries) {
      const to = path.join(this.src, ...entry.rel.split('/'));
      if (entry.kind === 'dir') mkdirSync(to, { recursive: true });
      else if (!this.overrides.has(entry.rel)) linkOrCopy(entry.real, to);
    }
    for (const [rel, text] of this.overrides) {
      const to = path.join(this.src, ...rel.split('/'));
      mkdirSync(path.dirname(to), { recursive: true });
      writeFileSync(to, text);
    }
  }

  /** Absolute path in the filtered copy of a path relative to the source root. */
  srcPath(rel: string): string {
    this.materialize();
    return rel === '' ? this.src : path.join(this.src, ...rel.split('/'));
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
    const kind = this.kind(rel);
    if (kind === undefined) return '-';
    if (kind === 'dir') return `d:${[...(this.children.get(rel) ?? [])].sort().join('/')}`;
    const text = this.overrides.get(rel);
    if (text !== undefined) return `f:${contentKey(Buffer.from(text))}`;
    const real = this.reals.get(rel);
    try {
      return real === undefined ? '-' : `f:${contentKey(readFileSync(real))}`;
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
    this.materialize();
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
      for (const name of readdirSync(this.srcPath(rel))) {
        if (name === next) continue;
        if (level === parts.length && Object.hasOwn(files, name)) continue;
        if (level < parts.length && onTheWay && !onTheWay.has(rel === '' ? name : `${rel}/${name}`)) continue;
        symlinkSync(path.join(this.srcPath(rel), name), path.join(dir, name));
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
