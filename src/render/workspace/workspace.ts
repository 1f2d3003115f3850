import { copyFileSync, linkSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
  private targets = 0;

  constructor(
    readonly root: string,
    options: { specIgnore?: string | undefined; overrides?: ReadonlyMap<string, string> } = {},
  ) {
    this.listing = listSourceFiles(root, options.specIgnore);
    this.base = makeTempDir();
    this.src = path.join(this.base, 'src');
    mkdirSync(this.src);
    for (const entry of this.listing.entries) {
      const to = path.join(this.src, ...entry.rel.split('/'));
      if (entry.kind === 'dir') mkdirSync(to, { recursive: true });
      else if (!options.overrides?.has(entry.rel)) linkOrCopy(entry.real, to);
    }
    for (const [rel, text] of options.overrides ?? []) {
      const to = path.join(this.src, ...rel.split('/'));
      mkdirSync(path.dirname(to), { recursive: true });
      writeFileSync(to, text);
    }
  }

  /** Absolute path in the filtered copy of a path relative to the source root. */
  srcPath(rel: string): string {
    return rel === '' ? this.src : path.join(this.src, ...rel.split('/'));
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
