import path from 'node:path';
import type { Diagnostic } from '../core/diagnostic.js';
import type { ClusterResource, RenderedCluster } from '../model/types.js';
import type { TargetBuild } from '../render/build/build-target.js';
import { type ClusterGraph, type NodeFinding, ownNodeKey, resourceProducer } from './fleet-graph.js';

const nodeFinding = (d: Diagnostic): NodeFinding => ({
  ruleId: d.ruleId,
  severity: d.severity,
  message: d.message,
  file: d.file,
  line: d.line,
});

/** The node an object belongs to: itself when it is one (a Flux Kustomization has findings of its own), else its producer. */
const nodeOf = (r: ClusterResource) => ownNodeKey(r.id) ?? resourceProducer(r);

const sameObject = (r: ClusterResource, d: Diagnostic) =>
  r.id.kind === d.resource?.kind &&
  r.id.name === d.resource.name &&
  (r.id.namespace ?? '') === (d.resource.namespace ?? '') &&
  r.id.apiVersion === d.resource.apiVersion;

/**
 * The Flux Kustomization a finding without a rendered object belongs to (a failed build, a
 * file no object comes from): the one written in that file, else the one whose build read it or
 * whose directory holds it (the deepest).
 */
function kustomizationOfFile(file: string, cluster: RenderedCluster, builds: readonly TargetBuild[]) {
  const targets = new Set(cluster.targets);
  let best: { key: string; rank: number } | undefined;
  for (const build of builds) {
    const flux = build.target.flux;
    if (!flux || !targets.has(build.target.key)) continue;
    const dir = path.posix.join(build.target.source.rel, build.target.path);
    const rank =
      flux.location?.file === file
        ? Number.MAX_SAFE_INTEGER
        : dir === '.' || file.startsWith(`${dir}/`)
          ? dir.length + 1
          : build.inputs.includes(file)
            ? 0
            : -1;
    if (rank >= 0 && (!best || rank > best.rank))
      best = { key: `Kustomization/${flux.namespace}/${flux.name}`, rank };
  }
  return best?.key;
}

/** Which node of the cluster a finding is shown on; undefined: the cluster's own list. */
function placeFinding(
  d: Diagnostic,
  cluster: RenderedCluster,
  builds: readonly TargetBuild[],
): string | undefined {
  if (d.resource) {
    const r = cluster.resources.find((x) => sameObject(x, d));
    const node = r && nodeOf(r);
    if (node) return node;
    const own = ownNodeKey(d.resource);
    if (own) return own;
  }
  // The file the finding is on holds objects of one node only: that node.
  const inFile = cluster.resources.filter((r) => r.origin?.kind === 'file' && r.origin.file === d.file);
  const producers = new Set(inFile.map(nodeOf));
  if (producers.size === 1) {
    const [only] = producers;
    if (only) return only;
  }
  return kustomizationOfFile(d.file, cluster, builds);
}

/**
 * Each finding of the cluster on the node that produces the object it is on: the HelmRelease that
 * renders it, else the Flux Kustomization that applies it; a finding on a Kustomization,
 * HelmRelease or source itself on that node. What belongs to no node stays on the cluster.
 */
export function attachFindings(
  graph: ClusterGraph,
  cluster: RenderedCluster,
  builds: readonly TargetBuild[],
  diagnostics: readonly Diagnostic[],
): ClusterGraph {
  const byNode = new Map<string, NodeFinding[]>();
  const rest: NodeFinding[] = [];
  const known = new Set(graph.nodes.map((n) => n.key));
  for (const d of diagnostics) {
    if (d.cluster !== cluster.name) continue;
    const node = placeFinding(d, cluster, builds);
    if (node && known.has(node)) byNode.set(node, [...(byNode.get(node) ?? []), nodeFinding(d)]);
    else rest.push(nodeFinding(d));
  }
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const found = byNode.get(n.key);
      return found ? { ...n, findings: found } : n;
    }),
    ...(rest.length > 0 ? { findings: rest } : {}),
  };
}

/** Findings that belong to no cluster (YAML syntax, config), as a node lists them. */
export function repositoryFindings(diagnostics: readonly Diagnostic[]): NodeFinding[] {
  return diagnostics.filter((d) => d.cluster === undefined).map(nodeFinding);
}
