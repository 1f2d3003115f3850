import type { ClusterGraph, GraphNode } from '../../graph/fleet-graph.js';
import { changeText, findingsText, nodeIds, noteText, objectsText } from './node-ids.js';

/** A DOT quoted string (https://graphviz.org/doc/info/lang.html): backslashes and quotes escaped. */
function quoted(...lines: string[]): string {
  return `"${lines.map((l) => l.replace(/\\/g, '\\\\').replace(/"/g, '\\"')).join('\\n')}"`;
}

function attributes(node: GraphNode): string {
  const shape = node.kind === 'HelmRelease' ? 'hexagon' : node.kind === 'source' ? 'cylinder' : 'box';
  const lines = [node.label, objectsText(node.objects), noteText(node), findingsText(node), changeText(node)];
  const dashed = node.external || node.change?.status === 'removed';
  const colour = node.change ? `, color="${CHANGE_COLOUR[node.change.status]}", penwidth=3` : '';
  return `[label=${quoted(...lines.filter(Boolean))}, shape=${shape}${dashed ? ', style=dashed' : ''}${colour}]`;
}

/** `graph --diff`: the outline of a changed, added or removed node. */
const CHANGE_COLOUR = { changed: '#d97706', added: '#15803d', removed: '#b91c1c' } as const;

const EDGE_STYLE = {
  applies: '',
  dependsOn: ' [label="dependsOn", style=dashed]',
  source: ' [label="source", color=gray40]',
} as const;

/** Graphviz DOT, one `cluster_` subgraph per cluster: `dot -Tsvg` draws it. */
export function formatGraphDot(graphs: readonly ClusterGraph[]): string {
  const ids = nodeIds(graphs);
  const out = ['digraph fleet {', '  rankdir=LR;', '  node [fontname="Helvetica"];'];
  graphs.forEach((g, c) => {
    const id = ids[c]!;
    out.push(`  subgraph cluster_${c} {`, `    label=${quoted(g.name)};`);
    for (const node of g.nodes) out.push(`    ${id.get(node.key)} ${attributes(node)};`);
    out.push('  }');
  });
  graphs.forEach((g, c) => {
    const id = ids[c]!;
    for (const e of g.edges) {
      const from = id.get(e.from);
      const to = id.get(e.to);
      if (from && to) out.push(`  ${from} -> ${to}${EDGE_STYLE[e.kind]};`);
    }
  });
  out.push('}');
  return `${out.join('\n')}\n`;
}
