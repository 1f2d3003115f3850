import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromDot } from 'ts-graphviz';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const FLEET = path.resolve(import.meta.dirname, '../../examples/aks-fleet');
const cache = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-graph-cache-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

const graph = (...args: string[]) =>
  runCli(['graph', ...args], { cwd: FLEET, env: { FLUXGATE_CACHE_DIR: cache } });

interface Drawn {
  /** Cluster title → node label → node id. */
  clusters: Map<string, Map<string, string>>;
  edges: { from: string; to: string; label: string }[];
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
    } else throw new Error(`not a flowchart line: ${line}`);
  }
  expect(current).toBeUndefined();
  return { clusters, edges };
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

  it.each([
    [['--format', 'html'], /--format html: expected mermaid or dot/],
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
    expect(run.stdout).toMatch(/^Usage: fluxgate graph \[--format mermaid\|dot\] \[--cluster NAME\]/);
  });
});
