import { fromRepoPath } from '../core/paths.js';
import { FileTooLargeError, readRegularFile } from '../core/read-regular.js';
import { type DecodedSource, decodeSource } from '../load/decode-source.js';
import { loadFile } from '../load/load-file.js';
import { Placer } from '../load/placer.js';
import { readSource } from '../load/read-text.js';
import type { SourceFile } from '../load/resource.js';
import { MAX_FILE_BYTES } from '../load/yaml-limits.js';
import { isFile } from './kustomization/kustomization-file.js';

/**
 * Repository files as the render stage reads them: already loaded files first, then unsaved
 * buffers, then the disk. Rendering reaches files outside the validated scope (bases, patches),
 * so it cannot rely on the loaded set alone.
 */
export class SourceReader {
  private readonly extra = new Map<string, SourceFile | null>();
  private loadedUnbuildable: SourceFile[] | undefined;
  readonly placer: Placer;

  constructor(
    readonly root: string,
    private readonly loaded: ReadonlyMap<string, SourceFile>,
    private readonly buffers: Readonly<Record<string, string>> = {},
  ) {
    this.placer = new Placer((file) => this.get(file)?.text);
  }

  /** A repo-relative file, parsed; undefined when it cannot be read. */
  get(file: string): SourceFile | undefined {
    const known = this.loaded.get(file);
    if (known) return known;
    const cached = this.extra.get(file);
    if (cached !== undefined) return cached ?? undefined;
    const text: string | DecodedSource | undefined = Object.hasOwn(this.buffers, file)
      ? this.buffers[file]
      : readBuildFile(fromRepoPath(this.root, file));
    const source = text === undefined ? null : loadFile(file, text).source;
    this.extra.set(file, source);
    return source ?? undefined;
  }

  /** Files read beyond the loaded ones (sorted), with their text (undefined: unreadable). */
  extraTexts(): [string, string | undefined][] {
    return [...this.extra]
      .map(([file, source]): [string, string | undefined] => [file, source?.text])
      .sort(([a], [b]) => (a < b ? -1 : 1));
  }

  /**
   * A file among `paths` (repo-relative files, or directories: every known file below) that no
   * build may be given (SourceFile.unbuildable).
   */
  unbuildableIn(paths: readonly string[]): { file: string; line: number; message: string } | undefined {
    this.loadedUnbuildable ??= [...this.loaded.values()].filter((s) => s.unbuildable);
    const known = [...this.loadedUnbuildable];
    for (const s of this.extra.values()) if (s?.unbuildable) known.push(s);
    for (const p of paths) {
      const unread = !this.loaded.has(p) && !this.extra.has(p);
      // A file no stage loaded yet (a resource that is not .yaml): read it now to know.
      const own = unread && isFile(fromRepoPath(this.root, p)) ? this.get(p) : undefined;
      if (own?.unbuildable) return { file: p, ...own.unbuildable };
      const hit = known.find((s) => s.file === p || p === '' || s.file.startsWith(`${p}/`));
      if (hit?.unbuildable) return { file: hit.file, ...hit.unbuildable };
    }
    return undefined;
  }

  text(file: string): string | undefined {
    return this.get(file)?.text;
  }

  /** The value of one document of a file. */
  document(file: string, docIndex: number): unknown {
    return this.get(file)?.resources.find((r) => r.docIndex === docIndex)?.value;
  }

  /** Buffers as paths relative to a source root, for the build copy. */
  overridesFor(sourceRel: string): Map<string, string> {
    const out = new Map<string, string>();
    const prefix = sourceRel === '' ? '' : `${sourceRel}/`;
    for (const [file, text] of Object.entries(this.buffers))
      if (file.startsWith(prefix)) out.set(file.slice(prefix.length), text);
    return out;
  }
}

/** A file a build reads, if it is a regular file of a size fluxgate reads (read-text.ts). */
function readBuildFile(absolute: string): DecodedSource | undefined {
  try {
    return decodeSource(readRegularFile(absolute, { maxBytes: MAX_FILE_BYTES }));
  } catch (error) {
    // Too large to read: said so (the build that reads it is not run); otherwise unreadable.
    return error instanceof FileTooLargeError ? readSource(absolute) : undefined;
  }
}
