/**
 * The graph page's style and script, inlined into the page (its Content-Security-Policy allows
 * nothing else: no network, opens from file://). The script only adds conveniences; the page is
 * complete without it.
 */
export const GRAPH_CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #fff; --panel: #f6f8fa;
  --error: #cf222e; --warning: #9a6700; --info: #0969da; --changed: #d97706; --added: #15803d; --removed: #b91c1c; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --bg: #0d1117; --panel: #151b23;
  --error: #ff7b72; --warning: #d29922; --info: #58a6ff; } }
* { box-sizing: border-box; }
body { margin: 0; padding: 1rem 1.5rem 3rem; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
h2 { display: inline; font-size: 1.1rem; margin: 0; }
.sub { color: var(--muted); margin: 0 0 .75rem; }
.toolbar { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .5rem 0; background: var(--bg); border-bottom: 1px solid var(--line); margin-bottom: .75rem; }
.toolbar input[type=search] { min-width: 16rem; padding: .25rem .4rem; }
.legend span { margin-right: .75rem; }
section.cluster { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .75rem; }
section.cluster > details > summary { padding: .5rem .75rem; background: var(--panel); border-radius: 6px; cursor: pointer; }
section.cluster[data-change] > details > summary { box-shadow: inset 4px 0 0 var(--changed); }
.counts { color: var(--muted); margin-left: .5rem; }
ul.nodes { list-style: none; margin: 0; padding: .25rem .75rem .5rem; }
li.node { padding-left: calc(var(--depth, 0) * 1.5rem); border-left: 3px solid transparent; }
li.node > details > summary { padding: .15rem .25rem; cursor: pointer; border-radius: 4px; }
li.node > details > summary:hover, li.node.related > details > summary { background: var(--panel); }
li.node.flash > details > summary { outline: 2px solid var(--info); }
li.node[data-change="changed"] { border-left-color: var(--changed); }
li.node[data-change="added"] { border-left-color: var(--added); }
li.node[data-change="removed"] { border-left-color: var(--removed); }
li.node[data-change="removed"] .name { text-decoration: line-through; }
.kind { display: inline-block; min-width: 9.5rem; margin-right: .5rem; font-weight: 600; }
.kind-HelmRelease .kind { color: #8250df; }
.kind-source .kind { color: var(--muted); }
.name { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.meta { color: var(--muted); margin-left: .5rem; }
.badge { display: inline-block; margin-left: .4rem; padding: 0 .4rem; border-radius: 999px; font-size: 12px; border: 1px solid currentColor; }
.badge.error { color: var(--error); } .badge.warning { color: var(--warning); } .badge.info { color: var(--info); }
.badge.changed { color: var(--changed); } .badge.added { color: var(--added); } .badge.removed { color: var(--removed); }
.badge.note { color: var(--muted); }
.detail { margin: .25rem 0 .5rem 1.25rem; padding-left: .75rem; border-left: 1px solid var(--line); }
.detail p { margin: .15rem 0; }
.detail .label { color: var(--muted); }
ul.findings { list-style: none; padding: 0; margin: .25rem 0; }
ul.findings li { margin: .15rem 0; }
.sev { font-weight: 600; text-transform: uppercase; font-size: 11px; margin-right: .35rem; }
.sev-error .sev { color: var(--error); } .sev-warning .sev { color: var(--warning); } .sev-info .sev { color: var(--info); }
.where { color: var(--muted); font-family: ui-monospace, monospace; margin-left: .35rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
ul.objects { margin: .25rem 0; padding-left: 1.25rem; font-family: ui-monospace, monospace; font-size: 12.5px; }
.cluster-findings { padding: 0 .75rem .5rem; }
a { color: var(--info); }
[hidden] { display: none !important; }
`;

export const GRAPH_JS = `
(() => {
  'use strict';
  const data = JSON.parse(document.getElementById('fleet-data').textContent);
  const sections = [...document.querySelectorAll('section.cluster')];
  const rows = [...document.querySelectorAll('li.node')];

  // An in-page link opens the cluster and node it points at, then brings it into view.
  function reveal(id) {
    const target = document.getElementById(id);
    if (!target) return;
    for (let el = target; el; el = el.parentElement) if (el.tagName === 'DETAILS') el.open = true;
    const row = target.closest('li.node');
    target.scrollIntoView({ block: 'center' });
    if (!row) return;
    row.classList.add('flash');
    setTimeout(() => row.classList.remove('flash'), 1500);
  }
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
    if (!link) return;
    event.preventDefault();
    const id = link.getAttribute('href').slice(1);
    history.replaceState(null, '', '#' + id);
    reveal(id);
  });
  if (location.hash.length > 1) reveal(decodeURIComponent(location.hash.slice(1)));

  // An open node lights up the nodes it is linked with (dependsOn, source, applies), from the data.
  const related = (clusterIndex, key) => {
    const out = new Set();
    for (const edge of data.clusters[clusterIndex]?.edges ?? []) {
      if (edge.from === key) out.add(edge.to);
      if (edge.to === key) out.add(edge.from);
    }
    return out;
  };
  document.addEventListener('toggle', (event) => {
    const details = event.target;
    if (!(details instanceof HTMLDetailsElement) || !details.parentElement?.matches('li.node')) return;
    const section = details.closest('section.cluster');
    const index = sections.indexOf(section);
    const keys = related(index, details.parentElement.dataset.node);
    for (const row of section.querySelectorAll('li.node'))
      if (keys.has(row.dataset.node)) row.classList.toggle('related', details.open);
  }, true);

  const filter = document.getElementById('filter');
  const onlyFindings = document.getElementById('only-findings');
  const onlyChanged = document.getElementById('only-changed');
  const shown = document.getElementById('shown');
  function apply() {
    const query = filter.value.trim().toLowerCase();
    let count = 0;
    for (const row of rows) {
      let show = query === '' || row.dataset.node.toLowerCase().includes(query);
      if (onlyFindings.checked) show = show && Number(row.dataset.errors) + Number(row.dataset.warnings) > 0;
      if (onlyChanged && onlyChanged.checked) show = show && row.dataset.change !== undefined;
      row.hidden = !show;
      if (show) count++;
    }
    shown.textContent = count === rows.length ? '' : count + ' of ' + rows.length + ' nodes shown';
    if (query !== '' || onlyFindings.checked || (onlyChanged && onlyChanged.checked))
      for (const section of sections) section.querySelector('details').open = true;
  }
  for (const input of [filter, onlyFindings, onlyChanged]) if (input) input.addEventListener('input', apply);
  const setAll = (open) => {
    for (const section of sections) section.querySelector('details').open = open;
  };
  document.getElementById('expand-all').addEventListener('click', () => setAll(true));
  document.getElementById('collapse-all').addEventListener('click', () => setAll(false));
  document.documentElement.dataset.ready = 'true';
})();
`;
