import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromDot } from 'ts-graphviz';
import { afterAll, describe, expect, it } from 'vitest';
import { fleetRepo } from '../helpers/fleet-repo.js';
import { runCli } from '../helpers/run-cli.js';

const FLEET = path.resolve(import.meta.dirname, '../../examples/aks-fleet');
const BROKEN = path.resolve(import.meta.dirname, '../../examples/aks-fleet-broken');
const cache = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-graph-cache-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

const graphIn = (cwd: string, ...args: string[]) =>
  runCli(['graph', ...args], { cwd, env: { FLUXGATE_CACHE_DIR: cache } });
const graph = (...args: string[]) => graphIn(FLEET, ...args);

interface Drawn {
  /** Cluster title → node label → node id. */
  clusters: Map<string, Map<string, string>>;
  edges: { from: string; to: string; label: string }[];
  /** classDef name → the node ids given that class (`graph --diff`). */
  classes: Map<string, string[]>;
}

const NODE = /^ {4}(c\d+_n\d+)(\[\(|\{\{|\[)"([^"]*)"(\)\]|\}\}|\])$/;
const EDGE = /^ {2}(c\d+_n\d+) (-->|-\.->)(?:\|([A-Za-z]+)\|)? (c\d+_n\d+)$/;
const CLOSING: Record<string, string> = { '[(': ')]', '{{': '}}', '[': ']' };

/**
 * Reads the Mermaid flowchart back by its grammar (flowchart header, subgraph … end, node shapes
 * with quoted labels, labelled arrows): every line must be one of these, every bracket closed,
 * every edge between declared nodes.
 */
function readMermaid(text: string): Drawn {
  const lines = text.trimEnd().split('\n');
  expect(lines[0]).toBe('flowchart LR');
  const clusters = new Map<string, Map<string, string>>();
  const declared = new Set<string>();
  const edges: Drawn['edges'] = [];
  const classes = new Map<string, string[]>();
  const defined = new Set<string>();
  let current: Map<string, string> | undefined;
  for (const line of lines.slice(1)) {
    const subgraph = /^ {2}subgraph cluster\d+\["([^"]+)"\]$/.exec(line);
    const node = NODE.exec(line);
    const edge = EDGE.exec(line);
    if (subgraph) {
      expect(current).toBeUndefined();
      current = new Map();
      clusters.set(subgraph[1]!, current);
    } else if (line === '  end') {
      expect(current).toBeDefined();
      current = undefined;
    } else if (line === '    direction LR') expect(current).toBeDefined();
    else if (node) {
      expect(CLOSING[node[2]!]).toBe(node[4]);
      current!.set(node[3]!.split('<br/>')[0]!, node[1]!);
      declared.add(node[1]!);
    } else if (edge) {
      expect(declared.has(edge[1]!) && declared.has(edge[4]!)).toBe(true);
      edges.push({ from: edge[1]!, to: edge[4]!, label: edge[3] ?? '' });
    } else if (/^ {2}classDef (\w+) [\w:#,.\- ]+$/.test(line)) defined.add(line.split(' ')[3]!);
    else if (/^ {2}class (c\d+_n\d+(,c\d+_n\d+)*) (\w+)$/.test(line)) {
      const [, , , list, name] = line.split(' ');
      expect(defined.has(name!)).toBe(true);
      for (const id of list!.split(',')) expect(declared.has(id)).toBe(true);
      classes.set(name!, list!.split(','));
    } else throw new Error(`not a flowchart line: ${line}`);
  }
  expect(current).toBeUndefined();
  return { clusters, edges, classes };
}

describe('fluxgate graph', () => {
  it('draws each cluster as a Mermaid flowchart: Kustomizations, dependsOn, HelmReleases, sources', async () => {
    const run = await graph();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const drawn = readMermaid(run.stdout);
    expect([...drawn.clusters.keys()]).toEqual(['dev-aks', 'prod-aks']);
    for (const [name, nodes] of drawn.clusters) {
      const id = (label: string) => {
        expect(nodes.has(label), `${name}: ${label}`).toBe(true);
        return nodes.get(label)!;
      };
      const has = (from: string, to: string, label: string) =>
        expect(drawn.edges).toContainEqual({ from: id(from), to: id(to), label });
      has('Kustomization flux-system/apps', 'Kustomization flux-system/infrastructure', 'dependsOn');
      has('Kustomization flux-system/flux-system', 'Kustomization flux-system/apps', '');
      has('Kustomization flux-system/apps', 'GitRepository flux-system/flux-system', 'source');
      has('Kustomization flux-system/infrastructure', 'HelmRelease flux-system/status-page', '');
      has('HelmRelease flux-system/status-page', 'GitRepository flux-system/flux-system', 'source');
      has('HelmRelease flux-system/ingress-nginx', 'HelmRepository flux-system/ingress-nginx', 'source');
    }
    expect(drawn.clusters.get('dev-aks')!.has('Kustomization flux-system/sandbox')).toBe(true);
    expect(drawn.clusters.get('prod-aks')!.has('Kustomization flux-system/sandbox')).toBe(false);
    expect(run.stdout).toContain('{{"HelmRelease flux-system/status-page<br/>2 objects"}}');
    // Its chart is not in the cache: said on the node, not drawn as a release with no objects.
    expect(run.stdout).toContain('{{"HelmRelease flux-system/ingress-nginx<br/>not rendered"}}');
  });

  it('--cluster narrows the picture; DOT is read back by a Graphviz parser', async () => {
    const mermaid = readMermaid((await graph('--cluster', 'prod-aks')).stdout);
    expect([...mermaid.clusters.keys()]).toEqual(['prod-aks']);
    const run = await graph('--format', 'dot');
    expect(run.code).toBe(0);
    const dot = fromDot(run.stdout);
    expect(dot.subgraphs.map((s) => [s.id, s.get('label')])).toEqual([
      ['cluster_0', 'dev-aks'],
      ['cluster_1', 'prod-aks'],
    ]);
    const prod = dot.subgraphs[1]!;
    const label = (id: string) => String(prod.nodes.find((n) => n.id === id)?.attributes.get('label') ?? '');
    const byLabel = new Map(prod.nodes.map((n) => [label(n.id).split('\\n')[0], n.id]));
    const dependsOn = dot.edges
      .filter((e) => e.attributes.get('label') === 'dependsOn')
      .map((e) => e.targets.map((t) => ('id' in t ? label(t.id) : '').split('\\n')[0]));
    expect(dependsOn).toContainEqual([
      'Kustomization flux-system/apps',
      'Kustomization flux-system/infrastructure',
    ]);
    expect(byLabel.get('Kustomization flux-system/apps')).toMatch(/^c1_n\d+$/);
  });

  it("puts the checks' findings on the node that deploys their object, counted on its label", async () => {
    const run = await graphIn(BROKEN, '--cluster', 'dev-aks');
    expect(run.code).toBe(0);
    const dev = readMermaid(run.stdout).clusters.get('dev-aks')!;
    // Its GitRepository is misspelt: the walk cannot follow it, the finding is on it all the same.
    expect(dev.has('Kustomization flux-system/sandbox')).toBe(true);
    expect(run.stdout).toContain('["Kustomization flux-system/sandbox<br/>not rendered<br/>1 error"]');
    expect(run.stdout).toContain('[("GitRepository flux-system/flux-sytem<br/>not in the repository")]');
    // A Deployment its chart renders: on the HelmRelease, not on the Kustomization that applies it.
    expect(run.stdout).toContain(
      '{{"HelmRelease flux-system/status-page<br/>2 objects<br/>1 error, 1 warning"}}',
    );
    expect(run.stdout).toContain('["Kustomization flux-system/infrastructure<br/>9 objects"]');
    const dot = await graphIn(BROKEN, '--format', 'dot', '--cluster', 'prod-aks');
    expect(dot.stdout).toContain('"Kustomization flux-system/apps\\n6 objects\\n4 errors"');
    expect(fromDot(dot.stdout).subgraphs).toHaveLength(1);
  });

  it('--format html=FILE writes one self-contained page (the checks in a browser: graph-html.test.ts)', async () => {
    const out = path.join(cache, 'out', 'fleet.html');
    const run = await graphIn(BROKEN, '--format', `html=${out}`);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const page = readFileSync(out, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`,
    );
    // Nothing to load: no src attribute, no link element, only in-page anchors.
    expect(page).not.toMatch(/\ssrc=|<link\b|@import|url\(/i);
    expect(page.match(/\shref="[^"]*"/g)?.every((h) => h.startsWith(' href="#'))).toBe(true);
    expect(page).toContain('data-cluster="dev-aks"');
    expect(page).toContain('data-cluster="prod-aks"');
    // The plain-text Secret's finding is there; its value is not.
    expect(page).toContain('policy/secret-encrypted');
    expect(page).not.toContain('not-a-real-password-CANARY');
    expect(existsSync(path.join(cache, 'out', `.fleet.html.${process.pid}.tmp`))).toBe(false);
  });

  it('--diff BASE marks the node whose objects the change reaches: a Mermaid class, a DOT colour', async () => {
    const root = fleetRepo(FLEET);
    const patch = path.join(root, 'apps/prod/deployment-patch.yaml');
    writeFileSync(patch, readFileSync(patch, 'utf8').replace('minReadySeconds: 10', 'minReadySeconds: 20'));
    const run = await graphIn(root, '--diff', 'HEAD');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const drawn = readMermaid(run.stdout);
    const prodApps = drawn.clusters.get('prod-aks')!.get('Kustomization flux-system/apps')!;
    expect([...drawn.classes]).toEqual([['changed', [prodApps]]]);
    expect(run.stdout).toMatch(/\["Kustomization flux-system\/apps<br\/>\d+ objects<br\/>changed"\]/);
    const dot = await graphIn(root, '--format', 'dot', '--diff', 'HEAD');
    const coloured = fromDot(dot.stdout)
      .subgraphs.flatMap((g) => g.nodes)
      .filter((n) => n.attributes.get('color') !== undefined)
      .map((n) => n.id);
    expect(coloured).toEqual([prodApps]);
  });

  it.each([
    [['--format', 'svg'], /--format svg: expected mermaid, dot or html/],
    [['--format', 'html='], /--format html=: expected html=FILE/],
    [['main'], /graph takes no arguments \(got main\); --diff takes BASE/],
    [['--cluster', 'nope'], /--cluster nope: no such cluster \(clusters: dev-aks, prod-aks\)/],
  ])('%j is exit 2', async (args, message) => {
    const run = await graph(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help documents the formats', async () => {
    const run = await runCli(['graph', '--help'], { cwd: FLEET });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Usage: fluxgate graph \[--format mermaid\|dot\|html\[=FILE\]\] \[--cluster NAME\] \[--diff \[BASE\]\]/,
    );
  });
});
