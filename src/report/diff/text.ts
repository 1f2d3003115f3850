import pc from 'picocolors';
import type { DiffResult, FindingChanges } from '../../diff/types.js';
import type { DiffFormatOptions } from './format.js';
import {
  changeTitle,
  clusterLine,
  findingLine,
  findingsSummary,
  producerText,
  reachLine,
  sideText,
} from './phrases.js';

function colorLine(line: string, color: boolean): string {
  if (!color) return line;
  if (line.startsWith('+++') || line.startsWith('---')) return pc.bold(line);
  if (line.startsWith('+')) return pc.green(line);
  if (line.startsWith('-')) return pc.red(line);
  if (line.startsWith('@@')) return pc.cyan(line);
  return line;
}

function findingsBlock(changes: FindingChanges, indent: string): string[] {
  return [
    ...changes.added.map((d) => `${indent}+ finding ${findingLine(d)}`),
    ...changes.removed.map((d) => `${indent}- finding ${findingLine(d)}`),
  ];
}

/** For a terminal: the reach line, then per reached cluster its objects' diffs and its findings. */
export function formatDiffText(result: DiffResult, options: DiffFormatOptions): string {
  const findings = findingsSummary(result);
  const out = [reachLine(result), ...(findings ? [findings] : []), `(${sideText(result)})`];
  const repo = result.repository;
  if (repo.added.length + repo.removed.length > 0) out.push('', 'repository:', ...findingsBlock(repo, '  '));
  for (const cluster of result.clusters) {
    if (cluster.status === 'unchanged') continue;
    out.push('', `${options.color ? pc.bold(cluster.name) : cluster.name}: ${clusterLine(cluster)}`);
    out.push(...findingsBlock(cluster.findings, '  '));
    for (const note of cluster.notRendered) out.push(`  not rendered, changes not shown: ${note}`);
    for (const o of cluster.objects) {
      out.push(`  ${changeTitle(o)} (from ${producerText(o.producer)})`);
      if (o.redactedOnly) out.push('    (only redacted Secret values differ)');
      for (const line of o.diff.split('\n').slice(0, -1)) out.push(`    ${colorLine(line, options.color)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
