import type { ClusterGraph, GraphNode, NodeFinding } from '../../graph/fleet-graph.js';
import { GRAPH_CSS, GRAPH_JS } from './html-assets.js';
import { nodeIds, noteText, objectsText } from './node-ids.js';

export interface GraphHtmlOptions {
  /** Findings that belong to no cluster (YAML syntax, config). */
  repository?: readonly NodeFinding[];
  /** `graph --diff`: the two sides compared. */
  diff?: { base: string; head: string };
}

/** Text and attribute values: the five characters HTML gives meaning to. */
function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/**
 * JSON inside `<script type="application/json">`: `<` (so neither `</script>` nor `<!--` can end
 * or change the element), `>`, `&` and the JavaScript line separators written as \u escapes,
 * which JSON.parse reads back as the same characters.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const count = (list: readonly NodeFinding[] | undefined, severity: NodeFinding['severity']) =>
  list?.filter((f) => f.severity === severity).length ?? 0;

function badges(findings: readonly NodeFinding[] | undefined): string {
  const out: string[] = [];
  for (const [severity, word] of [
    ['error', 'error'],
    ['warning', 'warning'],
  ] as const) {
    const n = count(findings, severity);
    if (n > 0) out.push(`<span class="badge ${severity}">${plural(n, word)}</span>`);
  }
  return out.join('');
}

function findingList(findings: readonly NodeFinding[] | undefined): string {
  if (!findings || findings.length === 0) return '';
  const items = findings.map(
    (f) =>
      `<li class="sev-${f.severity}" data-rule="${esc(f.ruleId)}"><span class="sev">${f.severity}</span>` +
      `<code>${esc(f.ruleId)}</code> ${esc(f.message)}<span class="where">${esc(f.file)}:${f.line}</span></li>`,
  );
  return `<ul class="findings">${items.join('')}</ul>`;
}

const KIND_ORDER = { Kustomization: 0, HelmRelease: 1, source: 2 } as const;

/**
 * The cluster's nodes as an indented list: each under the node that applies it (depth first
 * from the ones nothing in the cluster applies), Kustomizations before HelmReleases before sources.
 */
function layered(g: ClusterGraph): { node: GraphNode; depth: number }[] {
  const byKey = new Map(g.nodes.map((n) => [n.key, n]));
  const children = new Map<string, GraphNode[]>();
  const applied = new Set<string>();
  for (const e of g.edges) {
    const to = byKey.get(e.to);
    if (e.kind !== 'applies' || !byKey.has(e.from) || !to) continue;
    children.set(e.from, [...(children.get(e.from) ?? []), to]);
    applied.add(e.to);
  }
  const order = (a: GraphNode, b: GraphNode) =>
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const out: { node: GraphNode; depth: number }[] = [];
  const seen = new Set<string>();
  const visit = (node: GraphNode, depth: number) => {
    if (seen.has(node.key)) return;
    seen.add(node.key);
    out.push({ node, depth });
    for (const child of (children.get(node.key) ?? []).sort(order)) visit(child, depth + 1);
  };
  for (const node of g.nodes.filter((n) => !applied.has(n.key)).sort(order)) visit(node, 0);
  // A cycle of applies (a Kustomization applying its own parent) leaves nodes no root reaches.
  for (const node of [...g.nodes].sort(order)) visit(node, 0);
  return out;
}

function changeSummary(node: GraphNode): string {
  const c = node.change;
  if (!c) return '';
  const parts = [
    c.status === 'added' ? 'new in this change' : c.status === 'removed' ? 'removed by this change' : '',
    c.definition ? 'its own definition changed' : '',
    c.added ? `${plural(c.added, 'object')} added` : '',
    c.removed ? `${plural(c.removed, 'object')} removed` : '',
    c.changed ? `${plural(c.changed, 'object')} changed` : '',
  ].filter(Boolean);
  return `<p class="change"><span class="label">change:</span> ${esc(parts.join(', ') || c.status)}</p>`;
}

function nodeRow(g: ClusterGraph, node: GraphNode, depth: number, ids: Map<string, string>): string {
  const link = (key: string) => {
    const id = ids.get(key);
    const [kind, namespace, ...name] = key.split('/');
    const text = esc(`${kind} ${namespace}/${name.join('/')}`);
    return id ? `<a href="#${id}">${text}</a>` : `${text} <span class="badge note">not in the cluster</span>`;
  };
  const related = (label: string, keys: string[]) =>
    keys.length > 0 ? `<p><span class="label">${label}:</span> ${keys.map(link).join(', ')}</p>` : '';
  const out = (kind: string) =>
    g.edges.filter((e) => e.from === node.key && e.kind === kind).map((e) => e.to);
  const into = (kind: string) =>
    g.edges.filter((e) => e.to === node.key && e.kind === kind).map((e) => e.from);
  const space = node.label.indexOf(' ');
  const kindText = node.label.slice(0, space);
  const name = node.label.slice(space + 1);
  const note = noteText(node);
  const summary =
    `<span class="kind">${esc(kindText)}</span><span class="name">${esc(name)}</span>` +
    (node.objects !== undefined ? `<span class="meta">${objectsText(node.objects)}</span>` : '') +
    (note ? `<span class="badge note">${esc(note)}</span>` : '') +
    badges(node.findings) +
    (node.change ? `<span class="badge ${node.change.status}">${node.change.status}</span>` : '');
  const deploys = node.deploys?.length
    ? `<details class="deploys"><summary>${objectsText(node.deploys.length)}</summary><ul class="objects">${node.deploys
        .map((o) => `<li>${esc(o)}</li>`)
        .join('')}</ul></details>`
    : '';
  const detail = [
    changeSummary(node),
    related('applied by', into('applies')),
    related('depends on', out('dependsOn')),
    related('needed by', into('dependsOn')),
    related('source', out('source')),
    related('used by', into('source')),
    findingList(node.findings),
    deploys,
  ].join('');
  const attrs = [
    `class="node kind-${node.kind}"`,
    `style="--depth:${depth}"`,
    `data-node="${esc(node.key)}"`,
    `data-kind="${node.kind}"`,
    `data-errors="${count(node.findings, 'error')}"`,
    `data-warnings="${count(node.findings, 'warning')}"`,
    ...(node.change ? [`data-change="${node.change.status}"`] : []),
  ];
  return `<li ${attrs.join(' ')}><details id="${ids.get(node.key)}"><summary>${summary}</summary><div class="detail">${detail || '<p class="label">nothing more to show</p>'}</div></details></li>`;
}

function clusterSection(g: ClusterGraph, ids: Map<string, string>, open: boolean): string {
  const all = [...g.nodes.flatMap((n) => n.findings ?? []), ...(g.findings ?? [])];
  const kinds = (kind: GraphNode['kind'], word: string) =>
    plural(g.nodes.filter((n) => n.kind === kind).length, word);
  const counts = [
    kinds('Kustomization', 'Kustomization'),
    kinds('HelmRelease', 'HelmRelease'),
    kinds('source', 'source'),
  ];
  const changed = g.nodes.filter((n) => n.change).length;
  const rest = g.findings?.length
    ? `<div class="cluster-findings"><p class="label">Findings on no node of the cluster:</p>${findingList(g.findings)}</div>`
    : '';
  return (
    `<section class="cluster" data-cluster="${esc(g.name)}"${g.change ? ` data-change="${g.change}"` : ''}>` +
    `<details${open ? ' open' : ''}><summary><h2>${esc(g.name)}</h2><span class="counts">${counts.join(', ')}</span>${badges(all)}` +
    (g.change
      ? `<span class="badge ${g.change}">${g.change === 'changed' ? `${plural(changed, 'node')} changed` : g.change}</span>`
      : '') +
    `</summary><ul class="nodes">${layered(g)
      .map(({ node, depth }) => nodeRow(g, node, depth, ids))
      .join('')}</ul>${rest}</details></section>`
  );
}

/**
 * One self-contained HTML page (no request leaves it: inline style and script, a CSP that allows
 * nothing else; it opens from file://): each cluster a section that expands to its Kustomizations,
 * HelmReleases and sources, each node with what it deploys, its findings and, with --diff, its
 * change. The graph is also embedded as JSON (`#fleet-data`) for the page's script and for tools.
 */
export function formatGraphHtml(graphs: readonly ClusterGraph[], options: GraphHtmlOptions = {}): string {
  const ids = nodeIds(graphs);
  const repository = options.repository ?? [];
  const title = options.diff
    ? `fluxgate graph: ${options.diff.base} → ${options.diff.head}`
    : 'fluxgate graph';
  const changed = graphs.reduce((n, g) => n + g.nodes.filter((x) => x.change).length, 0);
  const sub = [
    plural(graphs.length, 'cluster'),
    ...(options.diff
      ? [`${plural(changed, 'node')} differ between ${options.diff.base} and ${options.diff.head}`]
      : []),
  ];
  const repoSection = repository.length
    ? `<section class="repository"><h2>Repository</h2><p class="label">Findings that belong to no cluster:</p>${findingList(repository)}</section>`
    : '';
  const data = { clusters: graphs, repository, ...(options.diff ? { diff: options.diff } : {}) };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${GRAPH_CSS}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="sub">${esc(sub.join('; '))}. Expand a cluster to see its Flux Kustomizations, HelmReleases and sources; expand a node for its links, findings and objects.</p>
<div class="toolbar">
<input type="search" id="filter" placeholder="Filter nodes by kind, namespace or name" aria-label="Filter nodes">
<label><input type="checkbox" id="only-findings"> only with errors or warnings</label>
${options.diff ? '<label><input type="checkbox" id="only-changed"> only changed</label>\n' : ''}<button type="button" id="expand-all">Expand all</button>
<button type="button" id="collapse-all">Collapse all</button>
<span id="shown" class="label"></span>
</div>
${repoSection}
${graphs.map((g, c) => clusterSection(g, ids[c]!, graphs.length === 1)).join('\n')}
<script type="application/json" id="fleet-data">${scriptJson(data)}</script>
<script>${GRAPH_JS}</script>
</body>
</html>
`;
}
