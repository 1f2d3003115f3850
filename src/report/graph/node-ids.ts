import type { ClusterGraph, GraphNode } from '../../graph/fleet-graph.js';

/** Identifiers safe in Mermaid and DOT: `c<cluster>_n<node>`, by position (names may hold any character). */
export function nodeIds(graphs: readonly ClusterGraph[]): Map<string, string>[] {
  return graphs.map((g, c) => new Map(g.nodes.map((n, i) => [n.key, `c${c}_n${i}`])));
}

/** `5 objects`, `1 object`; '' for sources. */
export function objectsText(objects: number | undefined): string {
  return objects === undefined ? '' : `${objects} object${objects === 1 ? '' : 's'}`;
}

/** What a node's label says besides its name: `not rendered`, `not in the repository`. */
export function noteText(node: GraphNode): string {
  return node.notRendered ? 'not rendered' : node.external ? 'not in the repository' : '';
}
