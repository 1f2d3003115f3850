import type { Diagnostic, ResourceId } from '../core/diagnostic.js';
import { isRecord, type SourceFile } from '../load/resource.js';

/** `# fluxgate-disable-next-line <ruleId>[,<ruleId>...] [-- reason]`; no rule id means every rule. */
const COMMENT = /^\s*#\s*fluxgate-disable-next-line\b(.*)$/;
export const IGNORE_ANNOTATION = 'fluxgate.io/ignore';

interface Suppression {
  file: string;
  /** The comment's line, or the annotated document's first line. */
  line: number;
  column: number;
  ruleIds: string[] | 'all';
  /** Comment: the line it covers. Annotation: the resource it covers, and its document's lines. */
  target: { line: number } | { resource: string | undefined; lines: DocumentLines };
  used: boolean;
}

function parseIds(text: string): string[] | 'all' {
  const ids = text
    .split('--')[0]!
    .split(/[\s,]+/)
    .filter((s) => s !== '');
  return ids.length === 0 ? 'all' : ids;
}

function commentSuppressions(source: SourceFile): Suppression[] {
  const lines = source.text.split(/\r?\n/);
  const out: Suppression[] = [];
  for (const [i, text] of lines.entries()) {
    const match = COMMENT.exec(text);
    if (!match) continue;
    let next = i + 1;
    while (next < lines.length && /^\s*(#.*)?$/.test(lines[next]!)) next++;
    out.push({
      file: source.file,
      line: i + 1,
      column: text.indexOf('#') + 1,
      ruleIds: parseIds(match[1]!),
      target: { line: next + 1 },
      used: false,
    });
  }
  return out;
}

export function resourceKey(id: Pick<ResourceId, 'kind' | 'namespace' | 'name'>): string {
  return `${id.kind}/${id.namespace ?? ''}/${id.name}`;
}

/** The ids named by a resource's `fluxgate.io/ignore` annotation, if any. */
export function ignoredRuleIds(value: unknown): string[] | 'all' | undefined {
  if (!isRecord(value) || !isRecord(value.metadata) || !isRecord(value.metadata.annotations))
    return undefined;
  const raw = value.metadata.annotations[IGNORE_ANNOTATION];
  return typeof raw === 'string' ? parseIds(raw) : undefined;
}

export interface DocumentLines {
  line: number;
  endLine: number;
}

function annotationSuppressions(
  source: SourceFile,
  linesOf: (docIndex: number) => DocumentLines,
): Suppression[] {
  const out: Suppression[] = [];
  for (const r of source.resources) {
    const ids = ignoredRuleIds(r.value);
    if (!ids) continue;
    const lines = linesOf(r.docIndex);
    out.push({
      file: source.file,
      line: lines.line,
      column: 1,
      ruleIds: ids,
      target: { resource: r.id && resourceKey(r.id), lines },
      used: false,
    });
  }
  return out;
}

function covers(s: Suppression, d: Diagnostic): boolean {
  if (s.ruleIds !== 'all' && !s.ruleIds.includes(d.ruleId)) return false;
  if ('line' in s.target) return d.file === s.file && d.line === s.target.line;
  if (d.resource && s.target.resource) return resourceKey(d.resource) === s.target.resource;
  // A finding about the document itself (it may have no identity yet, e.g. no apiVersion).
  return d.file === s.file && d.line >= s.target.lines.line && d.line <= s.target.lines.endLine;
}

/**
 * Drops suppressed findings and reports each suppression that suppressed nothing as
 * `config/unused-suppression` (info), so stale comments do not pile up.
 */
export function applySuppressions(
  diagnostics: readonly Diagnostic[],
  sources: readonly SourceFile[],
  linesOf: (file: string, docIndex: number) => DocumentLines,
): Diagnostic[] {
  const suppressions = sources.flatMap((source) => [
    ...commentSuppressions(source),
    ...annotationSuppressions(source, (docIndex) => linesOf(source.file, docIndex)),
  ]);
  if (suppressions.length === 0) return [...diagnostics];
  const kept = diagnostics.filter((d) => {
    const hits = suppressions.filter((s) => covers(s, d));
    for (const s of hits) s.used = true;
    return hits.length === 0;
  });
  for (const s of suppressions) {
    if (s.used) continue;
    const what = s.ruleIds === 'all' ? 'any rule' : s.ruleIds.join(', ');
    kept.push({
      ruleId: 'config/unused-suppression',
      severity: 'info',
      message: `suppression of ${what} matched no finding; remove it`,
      file: s.file,
      line: s.line,
      column: s.column,
      source: 'config',
    });
  }
  return kept;
}
