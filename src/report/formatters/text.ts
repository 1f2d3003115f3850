import pc from 'picocolors';
import type { Diagnostic, Severity } from '../../core/diagnostic.js';
import type { FormatContext, Formatter } from '../formatter.js';
import { inertInLogs } from './code-points.js';
import { coverageLines } from './coverage-lines.js';
import { groupByPlace } from './group-by-place.js';

type Paint = (s: string) => string;

function painter(color: boolean) {
  const c = pc.createColors(color);
  const severity: Record<Severity, Paint> = { error: c.red, warning: c.yellow, info: c.blue };
  return { c, severity };
}

function codeFrame(d: Diagnostic, context: FormatContext, dim: Paint, mark: Paint): string[] {
  const lines: string[] = [];
  const width = String(d.line + 1).length;
  for (let n = Math.max(1, d.line - 1); n <= d.line + 1; n++) {
    const line = context.sourceLine(d.file, n);
    const text = line === undefined ? undefined : inertInLogs(line);
    if (text === undefined) continue;
    const gutter = `${n === d.line ? '>' : ' '} ${String(n).padStart(width)} |`;
    lines.push(`    ${n === d.line ? mark(gutter) : dim(gutter)} ${text}`);
    if (n === d.line) {
      const span = d.endLine === d.line && d.endColumn && d.endColumn > d.column ? d.endColumn - d.column : 1;
      const caret = `${' '.repeat(Math.max(0, d.column - 1))}${'^'.repeat(Math.min(span, 80))}`;
      lines.push(`    ${dim(`  ${' '.repeat(width)} |`)} ${mark(caret)}`);
    }
  }
  return lines;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `--format text`: findings grouped by file, each with a code frame. */
export const formatText: Formatter = (diagnostics, context) => {
  const { c, severity } = painter(context.color);
  const out: string[] = [];
  let file: string | undefined;
  const shown = groupByPlace(diagnostics);
  for (const { diagnostic: d, clusters } of shown) {
    if (d.file !== file) {
      if (file !== undefined) out.push('');
      out.push(c.underline(d.file));
      file = d.file;
    }
    const where = clusters.length > 0 ? c.dim(` [${clusters.join(', ')}]`) : '';
    out.push(
      `  ${d.line}:${d.column}  ${severity[d.severity](d.severity)}  ${inertInLogs(d.message)}  ${c.dim(d.ruleId)}${where}`,
    );
    out.push(...codeFrame(d, context, c.dim, severity[d.severity]));
  }
  if (!context.quiet) {
    const { summary } = context;
    if (out.length > 0) out.push('');
    // Findings as shown above: one found in several clusters is one (its clusters listed on it).
    const count = (severity: Severity) => shown.filter((f) => f.diagnostic.severity === severity).length;
    const [errors, warnings, infos] = [count('error'), count('warning'), count('info')];
    const counts = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')}`;
    const scope = `${plural(summary.files, 'file')}, ${plural(summary.resources, 'resource')}, ${plural(summary.clusters, 'cluster')}`;
    const paint = errors > 0 ? c.red : warnings > 0 ? c.yellow : c.green;
    out.push(`${paint(errors + warnings > 0 ? '✖' : '✔')} ${counts} (${scope}, ${summary.durationMs} ms)`);
    for (const line of coverageLines(summary.coverage))
      out.push(`  ${line.partial ? c.yellow(line.text) : c.dim(line.text)}`);
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
};
