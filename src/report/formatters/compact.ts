import type { Formatter } from '../formatter.js';
import { inertInLogs } from './code-points.js';
import { groupByPlace } from './group-by-place.js';

/**
 * `--format compact`: one line per finding, `file:line:column: severity: message [ruleId]`
 * (clusters appended), the shape editors' problem matchers and `grep` read without state.
 */
export const formatCompact: Formatter = (diagnostics) =>
  groupByPlace(diagnostics)
    .map(({ diagnostic: d, clusters }) => {
      const where = clusters.length > 0 ? ` (${clusters.join(', ')})` : '';
      const message = inertInLogs(d.message).replace(/\r?\n/g, ' ');
      return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${message} [${d.ruleId}]${where}\n`;
    })
    .join('');
