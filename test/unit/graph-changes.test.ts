import { describe, expect, it } from 'vitest';
import type { ObjectChange } from '../../src/diff/types.js';
import type { ClusterGraph, GraphNode } from '../../src/graph/fleet-graph.js';
import { markChanges } from '../../src/graph/node-changes.js';

const ks = (name: string): GraphNode => ({
  key: `Kustomization/flux-system/${name}`,
  kind: 'Kustomization',
  label: `Kustomization flux-system/${name}`,
  objects: 1,
});
const graph = (...nodes: GraphNode[]): ClusterGraph => ({
  name: 'prod',
  nodes,
  edges: nodes
    .filter((n) => n.key !== ks('flux-system').key)
    .map((n) => ({ from: ks('flux-system').key, to: n.key, kind: 'applies' as const })),
});
const change = (
  kind: ObjectChange['change'],
  name: string,
  by?: string,
  apiVersion = 'v1',
): ObjectChange => ({
  change: kind,
  id: {
    apiVersion,
    kind: apiVersion === 'v1' ? 'ConfigMap' : 'Kustomization',
    namespace: 'flux-system',
    name,
  },
  producer: by ? { kustomization: { namespace: 'flux-system', name: by } } : {},
  diff: '',
});
const diff = (...objects: ObjectChange[]) => ({
  name: 'prod',
  status: 'changed' as const,
  objects,
  findings: { added: [], removed: [] },
  notRendered: [],
});

describe('markChanges (graph --diff)', () => {
  it('marks producers by what changed, keeps removed nodes with their edges, and marks new ones', () => {
    const base = graph(ks('flux-system'), ks('apps'), ks('old'));
    const head = graph(ks('flux-system'), ks('apps'), ks('new'));
    const marked = markChanges(
      head,
      base,
      diff(
        change('changed', 'settings', 'apps'),
        change('renamed', 'gen', 'apps'),
        change('added', 'new', 'flux-system', 'kustomize.toolkit.fluxcd.io/v1'),
        change('removed', 'old', 'flux-system', 'kustomize.toolkit.fluxcd.io/v1'),
        change('changed', 'apps', 'flux-system', 'kustomize.toolkit.fluxcd.io/v1'),
      ),
    );
    const byName = Object.fromEntries(marked.nodes.map((n) => [n.key.split('/')[2], n.change]));
    expect(byName).toEqual({
      apps: { status: 'changed', added: 0, removed: 0, changed: 2, definition: true },
      'flux-system': { status: 'changed', added: 1, removed: 1, changed: 1 },
      new: { status: 'added', added: 0, removed: 0, changed: 0 },
      old: { status: 'removed', added: 0, removed: 0, changed: 0 },
    });
    expect(marked.edges.map((e) => e.to.split('/')[2])).toEqual(['apps', 'new', 'old']);
    expect(marked.change).toBe('changed');
  });

  it('an unchanged cluster has no marks; one only in the base is removed whole', () => {
    const same = graph(ks('flux-system'), ks('apps'));
    const unchanged = markChanges(same, same, { ...diff(), status: 'unchanged' });
    expect(unchanged.change).toBeUndefined();
    expect(unchanged.nodes.every((n) => n.change === undefined)).toBe(true);
    const gone = markChanges(undefined, same, { ...diff(), status: 'removed' });
    expect(gone.change).toBe('removed');
    expect(gone.nodes.map((n) => n.change?.status)).toEqual(['removed', 'removed']);
  });
});
