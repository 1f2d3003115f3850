import path from 'node:path';
import type { Severity } from '../../core/diagnostic.js';
import type { Formatter } from '../formatter.js';
import { visibleControls } from './code-points.js';
import { groupByPlace, messageWithClusters, type PlacedFinding, severityFirst } from './group-by-place.js';

// GitHub workflow commands:
// https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/**
 * GitHub keeps 10 error, 10 warning and 10 notice annotations per step (50 per job); the rest are
 * only in the log: https://github.com/actions/toolkit/blob/main/docs/problem-matchers.md#limitations
 */
export const ANNOTATIONS_PER_KIND = 10;

/** Command data: `%`, CR and LF, as actions/toolkit's `escapeData` (src/command.ts); other controls made visible. */
export function escapeData(value: string): string {
  return visibleControls(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: also `:` and `,`, the property separators, as `escapeProperty`. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation({ diagnostic: d, ...rest }: PlacedFinding, root: string): string {
  // An absolute path: the runner makes it relative to GITHUB_WORKSPACE itself (actions/runner,
  // ActionCommandManager.cs), so annotations land on the right file even when the repository root
  // fluxgate uses is a subdirectory of the checkout.
  const props: [string, string | number][] = [['file', path.join(root, d.file)]];
  if (d.line >= 1) {
    const endLine = d.endLine !== undefined && d.endLine >= d.line ? d.endLine : d.line;
    props.push(['line', d.line], ['endLine', endLine]);
    // Columns only on a one-line range: the runner drops them otherwise.
    if (endLine === d.line && d.column >= 1) {
      props.push(['col', d.column]);
      if (d.endColumn !== undefined && d.endColumn >= d.column) props.push(['endColumn', d.endColumn]);
    }
  }
  props.push(['title', d.ruleId]);
  const properties = props.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
  return `::${COMMAND[d.severity]} ${properties}::${escapeData(messageWithClusters({ diagnostic: d, ...rest }))}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * `--format github`: one annotation per finding and place (its clusters in the message), errors first,
 * then warnings, then notices (infos), and a last plain line counting them, since the annotations past
 * the per-step limit show only in the log.
 */
export const formatGithub: Formatter = (diagnostics, context) => {
  const findings = severityFirst(groupByPlace(diagnostics));
  if (findings.length === 0) return '';
  const lines = findings.map((f) => annotation(f, context.root));
  if (!context.quiet) {
    const count = (s: Severity) => findings.filter((f) => f.diagnostic.severity === s).length;
    const counts: [number, string][] = [
      [count('error'), 'error'],
      [count('warning'), 'warning'],
      [count('info'), 'notice'],
    ];
    const hidden = counts.filter(([n]) => n > ANNOTATIONS_PER_KIND);
    const note =
      hidden.length > 0
        ? `; GitHub shows the first ${ANNOTATIONS_PER_KIND} of each kind per step, so ${hidden
            .map(([n, kind]) => plural(n - ANNOTATIONS_PER_KIND, kind))
            .join(', ')} appear only in this log`
        : '';
    lines.push(`fluxgate: ${counts.map(([n, kind]) => plural(n, kind)).join(', ')} annotated${note}`);
  }
  return `${lines.join('\n')}\n`;
};
