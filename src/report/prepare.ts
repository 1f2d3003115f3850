import type { Diagnostic } from '../core/diagnostic.js';
import type { SecretSet } from '../core/secret-set.js';
import type { SourceFile } from '../load/resource.js';
import { redactDiagnostics, redactLine } from './redact.js';
import { secretSource } from './secret-source.js';

export interface PreparedReport {
  diagnostics: Diagnostic[];
  sourceLine(file: string, line: number): string | undefined;
}

/**
 * The one redaction pass before every formatter: Secret values never leave, neither in messages
 * nor in code frames. Code frames hide every line inside a Secret's data by structure (a line the
 * parser cannot read too), then every line is scrubbed of the run's secret values.
 */
export function prepareReport(
  diagnostics: readonly Diagnostic[],
  files: ReadonlyMap<string, SourceFile>,
  secrets: SecretSet,
): PreparedReport {
  const cache = new Map<string, string[]>();
  const linesOf = (file: string): string[] | undefined => {
    let lines = cache.get(file);
    if (lines) return lines;
    const source = files.get(file);
    if (!source) return undefined;
    lines = source.text.split(/\r?\n/);
    if (lines.at(-1) === '') lines.pop(); // the final newline ends a line; it starts none
    for (const [n, how] of secretSource(source.text).lines)
      if (lines[n - 1] !== undefined) lines[n - 1] = redactLine(lines[n - 1]!, how);
    lines = lines.map((line) => secrets.scrub(line));
    cache.set(file, lines);
    return lines;
  };
  return {
    diagnostics: redactDiagnostics(diagnostics, secrets),
    sourceLine: (file, line) => linesOf(file)?.[line - 1],
  };
}
