import type { Diagnostic, Severity } from '../../core/diagnostic.js';

/** One finding at one place, with every cluster it was found in (empty: outside any cluster). */
export interface PlacedFinding {
  diagnostic: Diagnostic;
  clusters: string[];
}

/**
 * Groups findings that differ only by cluster (and so by rendered resource), so one base line
 * rendered into many clusters is reported once. Keeps the input order (the contract's sort order).
 */
export function groupByPlace(diagnostics: readonly Diagnostic[]): PlacedFinding[] {
  const groups = new Map<string, PlacedFinding>();
  for (const d of diagnostics) {
    const key = JSON.stringify([d.file, d.line, d.column, d.ruleId, d.severity, d.message]);
    const group = groups.get(key);
    if (group) {
      if (d.cluster && !group.clusters.includes(d.cluster)) group.clusters.push(d.cluster);
    } else {
      groups.set(key, { diagnostic: d, clusters: d.cluster ? [d.cluster] : [] });
    }
  }
  return [...groups.values()];
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors, then warnings, then infos, each in place order: CI systems keep only the first few of a kind. */
export function severityFirst(findings: readonly PlacedFinding[]): PlacedFinding[] {
  // Array.prototype.sort is stable (ES2019), so place order holds within a severity.
  return [...findings].sort((a, b) => RANK[a.diagnostic.severity] - RANK[b.diagnostic.severity]);
}

/** The message as CI annotations show it: with the clusters it was found in. */
export function messageWithClusters({ diagnostic, clusters }: PlacedFinding): string {
  if (clusters.length === 0) return diagnostic.message;
  return `${diagnostic.message} (${clusters.length === 1 ? 'cluster' : 'clusters'}: ${clusters.join(', ')})`;
}
