import type { Diagnostic } from '../core/diagnostic.js';
import type { SourceFile } from '../load/resource.js';
import { buildSourceMap } from '../load/source-map.js';
import { redactDiagnostics, redactLine, redactText, secretLines, secretValues } from './redact.js';

export interface PreparedReport {
  diagnostics: Diagnostic[];
  sourceLine(file: string, line: number): string | undefined;
}

/**
 * The one redaction pass before every formatter: Secret values never leave, neither in
 * messages nor in code frames. `showSecrets` is only for `fluxgate build --show-secrets`.
 */
export function prepareReport(
  diagnostics: readonly Diagnostic[],
  files: ReadonlyMap<string, SourceFile>,
  extraDocuments: Iterable<unknown> = [],
): PreparedReport {
  const documents: unknown[] = [...extraDocuments];
  for (const source of files.values()) for (const r of source.resources) documents.push(r.value);
  const values = secretValues(documents);
  const cache = new Map<string, string[]>();
  const linesOf = (file: string): string[] | undefined => {
    let lines = cache.get(file);
    if (lines) return lines;
    const source = files.get(file);
    if (!source) return undefined;
    lines = source.text.split(/\r?\n/);
    if (lines.at(-1) === '') lines.pop(); // the final newline ends a line; it starts none
    // By text, not by loaded documents: a Secret with a syntax error is still a Secret.
    if (/\bkind:\s*["']?Secret\b/.test(source.text)) {
      for (const n of secretLines(buildSourceMap(source.text))) {
        if (lines[n - 1] !== undefined) lines[n - 1] = redactLine(lines[n - 1]!);
      }
    }
    lines = lines.map((line) => redactText(line, values));
    cache.set(file, lines);
    return lines;
  };
  return {
    diagnostics: redactDiagnostics(diagnostics, values),
    sourceLine: (file, line) => linesOf(file)?.[line - 1],
  };
}
