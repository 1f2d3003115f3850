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

/** `1 error, 2 warnings` on the node's findings; '' without errors or warnings. */
export function findingsText(node: Pick<GraphNode, 'findings'>): string {
  const errors = node.findings?.filter((f) => f.severity === 'error').length ?? 0;
  const warnings = node.findings?.filter((f) => f.severity === 'warning').length ?? 0;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : '']
    .filter(Boolean)
    .join(', ');
}

/** `changed`, `added`, `removed` (`graph --diff`); '' for an unchanged node. */
export function changeText(node: GraphNode): string {
  return node.change?.status ?? '';
}
