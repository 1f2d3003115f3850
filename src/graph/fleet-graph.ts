import { isRecord } from '../load/resource.js';
import type { ClusterResource, RenderedCluster } from '../model/types.js';

export type NodeKind = 'Kustomization' | 'HelmRelease' | 'source';

export interface GraphNode {
  /** `<Kind>/<namespace>/<name>`, unique in its cluster. */
  key: string;
  kind: NodeKind;
  /** `Kustomization flux-system/apps`. */
  label: string;
  /** How many objects it deploys (Kustomizations, HelmReleases). */
  objects?: number;
  /** A source the cluster's Kustomizations or HelmReleases name that nothing in the repository defines. */
  external?: boolean;
  /** A Kustomization or HelmRelease fluxgate could not render (its objects are not counted). */
  notRendered?: boolean;
}

export type EdgeKind = 'applies' | 'dependsOn' | 'source';

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
}

/** One cluster as Flux sees it: its Flux Kustomizations, HelmReleases and sources, and how they relate. */
export interface ClusterGraph {
  name: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const SOURCE_GROUP = 'source.toolkit.fluxcd.io/';
const HELM_GROUP = 'helm.toolkit.fluxcd.io/';
const KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io/';

const key = (kind: string, namespace: string, name: string) => `${kind}/${namespace}/${name}`;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `spec.dependsOn` entries as keys (the namespace defaults to the object's own). */
function dependsOn(kind: string, namespace: string, spec: Record<string, unknown>): string[] {
  const list = Array.isArray(spec.dependsOn) ? spec.dependsOn : [];
  return list.flatMap((d) =>
    isRecord(d) && str(d.name) ? [key(kind, str(d.namespace) ?? namespace, str(d.name)!)] : [],
  );
}

/** A `sourceRef`-shaped reference as a key (the namespace defaults to the referrer's). */
function sourceKey(ref: unknown, namespace: string): string | undefined {
  if (!isRecord(ref) || !str(ref.kind) || !str(ref.name)) return undefined;
  return key(str(ref.kind)!, str(ref.namespace) ?? namespace, str(ref.name)!);
}

/** The chart source of a HelmRelease: `spec.chartRef`, else `spec.chart.spec.sourceRef`. */
function chartSource(spec: Record<string, unknown>, namespace: string): string | undefined {
  if (spec.chartRef !== undefined) return sourceKey(spec.chartRef, namespace);
  const chart = isRecord(spec.chart) && isRecord(spec.chart.spec) ? spec.chart.spec : undefined;
  return chart && sourceKey(chart.sourceRef, namespace);
}

function ownerKey(r: ClusterResource): string | undefined {
  return r.appliedBy && key('Kustomization', r.appliedBy.namespace, r.appliedBy.name);
}

/** The graph of one rendered cluster; nodes and edges sorted, so the same fleet draws the same. */
export function clusterGraph(cluster: RenderedCluster): ClusterGraph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const edge = (from: string, to: string, kind: EdgeKind) =>
    edges.set(`${from} ${to} ${kind}`, { from, to, kind });
  const counts = new Map<string, number>();
  const count = (k: string | undefined) => k && counts.set(k, (counts.get(k) ?? 0) + 1);
  const refs: [string, string][] = [];

  for (const ks of cluster.kustomizations ?? []) {
    const k = key('Kustomization', ks.namespace, ks.name);
    nodes.set(k, { key: k, kind: 'Kustomization', label: `Kustomization ${ks.namespace}/${ks.name}` });
    for (const d of dependsOn('Kustomization', ks.namespace, ks.spec)) edge(k, d, 'dependsOn');
    const source = sourceKey(ks.spec.sourceRef, ks.namespace);
    if (source) refs.push([k, source]);
  }
  for (const r of cluster.resources) {
    count(
      r.origin?.kind === 'helm'
        ? key('HelmRelease', r.origin.release.namespace, r.origin.release.name)
        : ownerKey(r),
    );
    const namespace = r.id.namespace ?? 'default';
    const k = key(r.id.kind, namespace, r.id.name);
    const spec = isRecord(r.value.spec) ? r.value.spec : {};
    if (r.id.apiVersion.startsWith(SOURCE_GROUP))
      nodes.set(k, { key: k, kind: 'source', label: `${r.id.kind} ${namespace}/${r.id.name}` });
    else if (r.id.kind === 'HelmRelease' && r.id.apiVersion.startsWith(HELM_GROUP)) {
      nodes.set(k, { key: k, kind: 'HelmRelease', label: `HelmRelease ${namespace}/${r.id.name}` });
      for (const d of dependsOn('HelmRelease', namespace, spec)) edge(k, d, 'dependsOn');
      const source = chartSource(spec, namespace);
      if (source) refs.push([k, source]);
    } else if (r.id.kind !== 'Kustomization' || !r.id.apiVersion.startsWith(KUSTOMIZE_GROUP)) continue;
    const owner = ownerKey(r);
    if (owner && owner !== k) edge(owner, k, 'applies');
  }
  for (const [from, to] of refs) {
    if (!nodes.has(to)) {
      const [kind, namespace, name] = to.split('/');
      nodes.set(to, { key: to, kind: 'source', label: `${kind} ${namespace}/${name}`, external: true });
    }
    edge(from, to, 'source');
  }
  const missing = new Set([
    ...cluster.incomplete.map((i) => key('Kustomization', i.namespace, i.name)),
    ...(cluster.helmReleases ?? [])
      .filter((h) => h.status !== 'rendered')
      .map((h) => key('HelmRelease', h.namespace, h.name)),
  ]);
  for (const node of nodes.values()) {
    if (node.kind === 'source') continue;
    if (missing.has(node.key)) node.notRendered = true;
    else node.objects = counts.get(node.key) ?? 0;
  }
  const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return {
    name: cluster.name,
    nodes: [...nodes.values()].sort(byKey),
    edges: [...edges.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e),
  };
}
