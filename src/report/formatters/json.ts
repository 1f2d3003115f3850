import type { Diagnostic } from '../../core/diagnostic.js';
import type { Formatter } from '../formatter.js';

// A fixed key order, so the output is byte-stable whichever stage produced a finding.
const KEYS: (keyof Diagnostic)[] = [
  'ruleId',
  'severity',
  'message',
  'file',
  'line',
  'column',
  'endLine',
  'endColumn',
  'resource',
  'cluster',
  'path',
  'origin',
  'source',
  'helpUri',
];

function ordered(d: Diagnostic): Partial<Diagnostic> {
  const out: Record<string, unknown> = {};
  for (const key of KEYS) if (d[key] !== undefined) out[key] = d[key];
  return out as Partial<Diagnostic>;
}

/** `--format json`: the JSON output v1 contract (ARCHITECTURE.md). */
export const formatJson: Formatter = (diagnostics, { summary }) =>
  `${JSON.stringify({ version: 1, diagnostics: diagnostics.map(ordered), summary }, null, 2)}\n`;
