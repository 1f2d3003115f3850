import type { Diagnostic } from '../core/diagnostic.js';
import type { PendingFinding } from '../core/pending.js';
import { buildSourceMap, locate, type SourceMap } from './source-map.js';

/**
 * Places pending findings at source ranges. Source maps are built on first use per file,
 * so only files that carry findings pay for `yaml`'s position tracking.
 */
export class Placer {
  private readonly maps = new Map<string, SourceMap>();

  constructor(private readonly textOf: (file: string) => string | undefined) {}

  sourceMap(file: string): SourceMap | undefined {
    let map = this.maps.get(file);
    if (!map) {
      const text = this.textOf(file);
      if (text === undefined) return undefined;
      map = buildSourceMap(text);
      this.maps.set(file, map);
    }
    return map;
  }

  place(finding: PendingFinding): Diagnostic {
    const { docIndex, pointer, atKey, ...rest } = finding;
    const map = this.sourceMap(finding.file);
    const range = map ? locate(map, docIndex, pointer, { key: atKey ?? false }) : undefined;
    const base: Diagnostic = { ...rest, line: range?.line ?? 1, column: range?.column ?? 1 };
    if (range) {
      base.endLine = range.endLine;
      base.endColumn = range.endColumn;
    }
    if (pointer !== '') base.path = pointer;
    return base;
  }
}
