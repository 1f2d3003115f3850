import type { ClusterGraph, GraphNode } from '../../graph/fleet-graph.js';
import { changeText, findingsText, nodeIds, noteText, objectsText } from './node-ids.js';

/** Mermaid's entity codes keep quotes and markup out of a quoted label. */
function label(text: string): string {
  return text.replace(/[#"<>&]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** Shapes: a Kustomization a box, a HelmRelease a hexagon, a source a cylinder (dashed when outside the repository). */
function shape(node: GraphNode): [string, string] {
  if (node.kind === 'HelmRelease') return ['{{', '}}'];
  if (node.kind === 'source') return ['[(', ')]'];
  return ['[', ']'];
}

const CHANGE_STYLE: Record<string, string> = {
  changed: 'stroke:#d97706,stroke-width:3px',
  added: 'stroke:#15803d,stroke-width:3px',
  removed: 'stroke:#b91c1c,stroke-width:3px,stroke-dasharray:5 5',
};

const ARROWS = { applies: '-->', dependsOn: '-.->|dependsOn|', source: '-->|source|' } as const;

/**
 * A Mermaid flowchart (https://mermaid.js.org/syntax/flowchart.html), one subgraph per cluster:
 * renders in GitHub markdown and Azure DevOps wikis inside a ```mermaid block.
 */
export function formatGraphMermaid(graphs: readonly ClusterGraph[]): string {
  const ids = nodeIds(graphs);
  const out = ['flowchart LR'];
  graphs.forEach((g, c) => {
    const id = ids[c]!;
    out.push(`  subgraph cluster${c}["${label(g.name)}"]`, '    direction LR');
    for (const node of g.nodes) {
      const [open, close] = shape(node);
      const lines = [
        node.label,
        objectsText(node.objects),
        noteText(node),
        findingsText(node),
        changeText(node),
      ];
      out.push(`    ${id.get(node.key)}${open}"${lines.filter(Boolean).map(label).join('<br/>')}"${close}`);
    }
    out.push('  end');
  });
  graphs.forEach((g, c) => {
    const id = ids[c]!;
    for (const e of g.edges) {
      const from = id.get(e.from);
      const to = id.get(e.to);
      // A dependsOn naming nothing the cluster has: refs/ reports it; the picture leaves it out.
      if (from && to) out.push(`  ${from} ${ARROWS[e.kind]} ${to}`);
    }
  });
  const changed = new Map<string, string[]>();
  graphs.forEach((g, c) => {
    for (const node of g.nodes)
      if (node.change)
        changed.set(node.change.status, [...(changed.get(node.change.status) ?? []), ids[c]!.get(node.key)!]);
  });
  // `graph --diff`: a class per kind of change (https://mermaid.js.org/syntax/flowchart.html#classes).
  for (const [status, list] of changed)
    out.push(`  classDef ${status} ${CHANGE_STYLE[status]}`, `  class ${list.join(',')} ${status}`);
  return `${out.join('\n')}\n`;
}
