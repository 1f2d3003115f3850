import type { ClusterDiff } from '../diff/types.js';
import {
  type ClusterGraph,
  type GraphNode,
  type NodeChange,
  ownNodeKey,
  producerKey,
} from './fleet-graph.js';

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function changeOf(node: GraphNode, status: NodeChange['status']): GraphNode {
  return { ...node, change: { status, added: 0, removed: 0, changed: 0 } };
}

/**
 * The cluster's graph in the head, with what differs from the base marked (`graph --diff`): a
 * node whose objects were added, removed or changed (by the producer `fluxgate diff` names), whose
 * own object changed, or that is new; the base's nodes the head no longer has are kept, marked
 * removed, with their edges. A cluster only in the base is drawn as it was.
 */
export function markChanges(
  head: ClusterGraph | undefined,
  base: ClusterGraph | undefined,
  diff: ClusterDiff | undefined,
): ClusterGraph {
  const shown = head ?? base;
  if (!shown) throw new Error('markChanges: a cluster needs a side');
  const baseKeys = new Set(base?.nodes.map((n) => n.key));
  const headKeys = new Set(head?.nodes.map((n) => n.key));
  const nodes = new Map<string, GraphNode>();
  for (const n of head?.nodes ?? []) nodes.set(n.key, baseKeys.has(n.key) ? n : changeOf(n, 'added'));
  for (const n of base?.nodes ?? []) if (!headKeys.has(n.key)) nodes.set(n.key, changeOf(n, 'removed'));
  const mark = (k: string | undefined, what: 'added' | 'removed' | 'changed' | 'definition') => {
    const node = k ? nodes.get(k) : undefined;
    if (!node) return;
    const change: NodeChange = node.change
      ? { ...node.change }
      : { status: 'changed', added: 0, removed: 0, changed: 0 };
    if (what === 'definition') change.definition = true;
    else change[what]++;
    nodes.set(node.key, { ...node, change });
  };
  for (const o of diff?.objects ?? []) {
    mark(producerKey(o.producer), o.change === 'renamed' ? 'changed' : o.change);
    if (o.change === 'changed' || o.change === 'renamed') mark(ownNodeKey(o.id), 'definition');
  }
  const edges = new Map((head?.edges ?? []).map((e) => [`${e.from} ${e.to} ${e.kind}`, e]));
  for (const e of base?.edges ?? [])
    if (!headKeys.has(e.from) || !headKeys.has(e.to)) edges.set(`${e.from} ${e.to} ${e.kind}`, e);
  const status = !head ? 'removed' : !base ? 'added' : diff?.status === 'changed' ? 'changed' : undefined;
  return {
    ...shown,
    nodes: [...nodes.values()].sort(byKey),
    edges: [...edges.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e),
    ...(status ? { change: status } : {}),
  };
}
