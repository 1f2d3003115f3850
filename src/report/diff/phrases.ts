import type { Diagnostic, Severity } from '../../core/diagnostic.js';
import { displayId } from '../../diff/object-key.js';
import type { ClusterDiff, FindingChanges, ObjectChange, Producer } from '../../diff/types.js';
import { type DiffResult, reachedClusters } from '../../diff/types.js';

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `2 errors, 1 warning` (info findings are not counted); '' when there are none. */
export function severityCounts(findings: readonly Diagnostic[]): string {
  const counts = (['error', 'warning', 'info'] as Severity[])
    .map((s) => [s, findings.filter((d) => d.severity === s).length] as const)
    .filter(([, n]) => n > 0);
  return counts.map(([s, n]) => plural(n, s)).join(', ');
}

/** `adds 2 errors, removes 1 warning`; '' when the findings are the same. */
export function findingsPhrase(changes: FindingChanges): string {
  const added = severityCounts(changes.added);
  const removed = severityCounts(changes.removed);
  return [added && `adds ${added}`, removed && `removes ${removed}`].filter(Boolean).join(', ');
}

/** `1 added, 2 changed`; '' when no object differs. */
export function objectCounts(objects: readonly ObjectChange[]): string {
  const count = (kind: ObjectChange['change']) => objects.filter((o) => o.change === kind).length;
  return (['added', 'removed', 'changed', 'renamed'] as const)
    .filter((k) => count(k) > 0)
    .map((k) => `${count(k)} ${k}`)
    .join(', ');
}

/** `prod-aks: 2 changed; adds 1 error` and the cluster's own state (new, gone). */
export function clusterLine(cluster: ClusterDiff): string {
  const state =
    cluster.status === 'added' ? 'new cluster' : cluster.status === 'removed' ? 'cluster removed' : '';
  const parts = [state, objectCounts(cluster.objects), findingsPhrase(cluster.findings)].filter(Boolean);
  return parts.join('; ') || 'no difference';
}

/** The first line: which clusters the change reaches. */
export function reachLine(result: DiffResult): string {
  const reached = reachedClusters(result).map((c) => c.name);
  const total = result.clusters.length;
  if (reached.length === 0)
    return total === 0
      ? 'The change reaches no cluster (no cluster found).'
      : `The change reaches no cluster (${plural(total, 'cluster')} render${total === 1 ? 's' : ''} the same).`;
  return `The change reaches ${reached.length} of ${plural(total, 'cluster')}: ${reached.join(', ')}`;
}

/** `Kustomization flux-system/apps`, `HelmRelease web/status-page (Kustomization flux-system/infra)`. */
export function producerText(p: Producer): string {
  const ks = p.kustomization && `Kustomization ${p.kustomization.namespace}/${p.kustomization.name}`;
  if (p.helmRelease) {
    const hr = `HelmRelease ${p.helmRelease.namespace}/${p.helmRelease.name}`;
    return ks ? `${hr} (${ks})` : hr;
  }
  return ks ?? 'the cluster root';
}

/** `changed Deployment podinfo/podinfo`, `renamed ConfigMap podinfo/a-hash1 → a-hash2`. */
export function changeTitle(o: ObjectChange): string {
  if (o.change === 'renamed') return `renamed ${displayId(o.id, o.previousName)} → ${o.id.name}`;
  return `${o.change} ${displayId(o.id)}`;
}

/** One finding on one line: `error schema/invalid apps/x.yaml:3:5: message`. */
export function findingLine(d: Diagnostic): string {
  return `${d.severity} ${d.ruleId} ${d.file}:${d.line}:${d.column}: ${d.message}`;
}

export function sideText(result: DiffResult): string {
  const side = (s: DiffResult['base']) => (s.commit ? `${s.label} (${s.commit.slice(0, 12)})` : s.label);
  return `base ${side(result.base)}, head ${side(result.head)}`;
}

/** `This change adds 2 errors in prod-aks; removes 1 warning in dev-aks.`; '' when findings are the same. */
export function findingsSummary(result: DiffResult): string {
  const parts = [
    ...result.clusters.map((c) => [c.name, findingsPhrase(c.findings)] as const),
    ['the repository', findingsPhrase(result.repository)] as const,
  ]
    .filter(([, phrase]) => phrase !== '')
    .map(([where, phrase]) => `${phrase} in ${where}`);
  return parts.length > 0 ? `This change ${parts.join('; ')}.` : '';
}
