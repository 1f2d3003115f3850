import { isMap, isPair, isScalar, type Node } from 'yaml';
import type { Diagnostic } from '../core/diagnostic.js';
import { isRecord } from '../load/resource.js';
import type { SourceMap } from '../load/source-map.js';

export const REDACTED = '<redacted>';
const SECRET_FIELDS = ['data', 'stringData'];

export function isSecret(value: unknown): value is Record<string, unknown> {
  return (
    isRecord(value) &&
    value.kind === 'Secret' &&
    (value.apiVersion === 'v1' || value.apiVersion === undefined)
  );
}

/** Every plain value held by Secrets (and its base64 decoding for `data`), to scrub from messages. */
export function secretValues(documents: Iterable<unknown>): Set<string> {
  const values = new Set<string>();
  for (const doc of documents) {
    if (!isSecret(doc)) continue;
    for (const field of SECRET_FIELDS) {
      const block = doc[field];
      if (!isRecord(block)) continue;
      for (const raw of Object.values(block)) {
        if (typeof raw !== 'string' || raw.length < 4) continue;
        values.add(raw);
        if (field === 'data') {
          const decoded = Buffer.from(raw, 'base64').toString('utf8');
          if (decoded.length >= 4 && /^[\x20-\x7e\s]+$/.test(decoded)) values.add(decoded);
        }
      }
    }
  }
  return values;
}

/** Line numbers (1-based) of a file that hold Secret values: the bodies of data/stringData blocks. */
export function secretLines(map: SourceMap): Set<number> {
  const lines = new Set<number>();
  for (const root of map.documents) {
    if (!isMap(root)) continue;
    const kind = root.get('kind');
    if (kind !== 'Secret') continue;
    for (const item of root.items) {
      if (!isPair(item) || !isScalar(item.key) || !SECRET_FIELDS.includes(String(item.key.value))) continue;
      const value = item.value as Node | null;
      if (!value?.range) continue;
      const start = map.lineCounter.linePos(value.range[0]).line;
      const end = map.lineCounter.linePos(Math.max(value.range[0], value.range[1] - 1)).line;
      for (let line = start; line <= end; line++) lines.add(line);
    }
  }
  return lines;
}

/** Replaces a source line's value part with the redaction marker, keeping its key for context. */
export function redactLine(text: string): string {
  const match = /^(\s*(?:-\s+)?[^\s:#][^:#]*:)(\s*).+$/.exec(text);
  if (match) return `${match[1]}${match[2] || ' '}${REDACTED}`;
  const indent = /^\s*/.exec(text)![0];
  return text.trim() === '' ? text : `${indent}${REDACTED}`;
}

export function redactText(text: string, values: ReadonlySet<string>): string {
  let out = text;
  for (const value of values) if (out.includes(value)) out = out.split(value).join(REDACTED);
  return out;
}

export function redactDiagnostics(
  diagnostics: readonly Diagnostic[],
  values: ReadonlySet<string>,
): Diagnostic[] {
  if (values.size === 0) return [...diagnostics];
  return diagnostics.map((d) => ({ ...d, message: redactText(d.message, values) }));
}
