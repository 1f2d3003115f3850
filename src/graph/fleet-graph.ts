import type { ResourceId, Severity } from '../core/diagnostic.js';
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
  /** What it deploys, `Kind namespace/name` (Kustomizations, HelmReleases), sorted. */
  deploys?: string[];
  /** Findings on itself and on the objects it deploys (see node-findings.ts). */
  findings?: NodeFinding[];
  /** `graph --diff`: how it differs from the base (see node-changes.ts); absent: unchanged. */
  change?: NodeChange;
}

/** A finding as a node lists it. */
export interface NodeFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
}

/** A node new in the head, gone from it, or one whose objects (or own definition) differ. */
export interface NodeChange {
  status: 'added' | 'removed' | 'changed';
  /** Objects it deploys that were added, removed (or renamed) and changed. */
  added: number;
  removed: number;
  changed: number;
  /** Its own object (the Kustomization, HelmRelease or source) differs. */
  definition?: boolean;
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
  /** Findings of the cluster that belong to none of its nodes. */
  findings?: NodeFinding[];
  /** `graph --diff`: the cluster is new, gone or differs; absent: unchanged. */
  change?: 'added' | 'removed' | 'changed';
}

const SOURCE_GROUP = 'source.toolkit.fluxcd.io/';
const HELM_GROUP = 'helm.toolkit.fluxcd.io/';
const KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io/';

const key = (kind: string, namespace: string, name: string) => `${kind}/${namespace}/${name}`;

/** The key of the node an object is, when it is one (a Flux Kustomization, HelmRelease or source). */
export function ownNodeKey(id: ResourceId): string | undefined {
  const own = key(id.kind, id.namespace ?? 'default', id.name);
  if (id.apiVersion.startsWith(SOURCE_GROUP)) return own;
  if (id.kind === 'HelmRelease' && id.apiVersion.startsWith(HELM_GROUP)) return own;
  if (id.kind === 'Kustomization' && id.apiVersion.startsWith(KUSTOMIZE_GROUP)) return own;
  return undefined;
}

/** The key of the node that deploys what a Kustomization applies or a HelmRelease renders. */
export function producerKey(producer: {
  kustomization?: { namespace: string; name: string } | undefined;
  helmRelease?: { namespace: string; name: string } | undefined;
}): string | undefined {
  const { helmRelease: h, kustomization: k } = producer;
  return h ? key('HelmRelease', h.namespace, h.name) : k && key('Kustomization', k.namespace, k.name);
}

/** The node an object is produced by: its HelmRelease, else the Kustomization that applies it. */
export function resourceProducer(r: ClusterResource): string | undefined {
  return producerKey({
    kustomization: r.appliedBy,
    helmRelease: r.origin?.kind === 'helm' ? r.origin.release : undefined,
  });
}

/** `Deployment podinfo/podinfo`, `Namespace podinfo`. */
export function objectText(id: ResourceId): string {
  return `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
}

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
  const deployed = new Map<string, string[]>();
  const count = (k: string | undefined, what: string) =>
    k && deployed.set(k, [...(deployed.get(k) ?? []), what]);
  const refs: [string, string][] = [];
  const unfollowed = new Set<string>();

  const kustomization = (namespace: string, name: string, spec: Record<string, unknown>) => {
    const k = key('Kustomization', namespace, name);
    nodes.set(k, { key: k, kind: 'Kustomization', label: `Kustomization ${namespace}/${name}` });
    for (const d of dependsOn('Kustomization', namespace, spec)) edge(k, d, 'dependsOn');
    const source = sourceKey(spec.sourceRef, namespace);
    if (source) refs.push([k, source]);
  };
  for (const ks of cluster.kustomizations ?? []) kustomization(ks.namespace, ks.name, ks.spec);
  for (const r of cluster.resources) {
    count(resourceProducer(r), objectText(r.id));
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
    // Applied, but the walk did not follow it (its source is missing): drawn, and not rendered.
    else if (!nodes.has(k)) {
      kustomization(namespace, r.id.name, spec);
      unfollowed.add(k);
    }
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
    ...unfollowed,
    ...cluster.incomplete.map((i) => key('Kustomization', i.namespace, i.name)),
    ...(cluster.helmReleases ?? [])
      .filter((h) => h.status !== 'rendered')
      .map((h) => key('HelmRelease', h.namespace, h.name)),
  ]);
  for (const node of nodes.values()) {
    if (node.kind === 'source') continue;
    if (missing.has(node.key)) node.notRendered = true;
    else {
      node.deploys = (deployed.get(node.key) ?? []).sort();
      node.objects = node.deploys.length;
    }
  }
  const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return {
    name: cluster.name,
    nodes: [...nodes.values()].sort(byKey),
    edges: [...edges.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e),
  };
}
