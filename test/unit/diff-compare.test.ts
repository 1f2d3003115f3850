import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/core/secret-set.js';
import { compareClusters } from '../../src/diff/compare-clusters.js';
import { stableName } from '../../src/diff/object-key.js';
import type { ClusterResource, RenderedCluster } from '../../src/model/types.js';

function resource(
  kind: string,
  name: string,
  data: Record<string, unknown>,
  apiVersion = 'v1',
): ClusterResource {
  const value = { apiVersion, kind, metadata: { name, namespace: 'apps' }, ...data };
  return {
    id: { apiVersion, kind, namespace: 'apps', name },
    value,
    target: 'repo:apps',
    appliedBy: { namespace: 'flux-system', name: 'apps' },
  };
}

function cluster(resources: ClusterResource[]): RenderedCluster {
  return { name: 'prod', root: 'clusters/prod', resources, targets: [], incomplete: [], repoSources: [] };
}

const compare = (base: ClusterResource[], head: ClusterResource[]) =>
  compareClusters(
    [cluster(base)],
    [cluster(head)],
    { base: [], head: [] },
    { secrets: new SecretSet(), context: 3 },
  )[0]!;

describe('comparing a cluster', () => {
  it.each([
    [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'settings-7b2k5h4d9f' }, 'settings'],
    [{ apiVersion: 'v1', kind: 'Secret', name: 'token-g7hm2c9k8t' }, 'token'],
    // 0, 1, 3, a and e never appear in kustomize's suffix: a word-like ending is a name.
    [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'release-2024010130' }, 'release-2024010130'],
    [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-7b2k5h4d9f' }, 'web-7b2k5h4d9f'],
  ])('stableName(%j) is %s', (id, expected) => {
    expect(stableName(id)).toBe(expected);
  });

  it('key order and fluxgate annotations are not differences', () => {
    const before = resource('ConfigMap', 'a', { data: { x: '1', y: '2' } });
    const after = resource('ConfigMap', 'a', { data: { y: '2', x: '1' } });
    (after.value.metadata as Record<string, unknown>).annotations = {
      'fluxgate.io/ignore': 'schema/invalid',
    };
    expect(compare([before], [after])).toMatchObject({ status: 'unchanged', objects: [] });
  });

  it('an apiVersion change of the same object is a change, not a removal and an addition', () => {
    const before = resource('HorizontalPodAutoscaler', 'web', { spec: {} }, 'autoscaling/v2beta2');
    const after = resource('HorizontalPodAutoscaler', 'web', { spec: {} }, 'autoscaling/v2');
    const diff = compare([before], [after]);
    expect(diff.objects.map((o) => o.change)).toEqual(['changed']);
    expect(diff.objects[0]!.diff).toContain(
      '-apiVersion: autoscaling/v2beta2\n+apiVersion: autoscaling/v2\n',
    );
  });

  it('two generated ConfigMaps of the same name do not pair by guess: removed and added', () => {
    const base = [resource('ConfigMap', 'a-7b2k5h4d9f', {}), resource('ConfigMap', 'a-8c2k5h4d9f', {})];
    const head = [resource('ConfigMap', 'a-9d2k5h4d9f', {})];
    expect(compare(base, head).objects.map((o) => `${o.change} ${o.id.name}`)).toEqual([
      'removed a-7b2k5h4d9f',
      'removed a-8c2k5h4d9f',
      'added a-9d2k5h4d9f',
    ]);
  });

  it('an object rendered twice in a cluster is compared copy by copy', () => {
    const base = [
      resource('ConfigMap', 'a', { data: { x: '1' } }),
      resource('ConfigMap', 'a', { data: { x: '1' } }),
    ];
    const head = [resource('ConfigMap', 'a', { data: { x: '1' } })];
    expect(compare(base, head).objects.map((o) => o.change)).toEqual(['removed']);
  });
});

describe('releases no side could render', () => {
  const release = (name: string, values: Record<string, unknown>, valuesFrom?: string) =>
    resource(
      'HelmRelease',
      name,
      { spec: { values, ...(valuesFrom ? { valuesFrom: [{ kind: 'ConfigMap', name: valuesFrom }] } : {}) } },
      'helm.toolkit.fluxcd.io/v2',
    );
  const notAvailable = (name: string, valuesFrom?: string) => ({
    namespace: 'apps',
    name,
    status: 'not-available' as const,
    reason: `chart ${name} 1.0.0 is not in the chart cache`,
    layers: [
      { object: release(name, {}).id, pointer: '/spec/values', values: {} },
      ...(valuesFrom
        ? [
            {
              object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: valuesFrom },
              pointer: '/data/values.yaml',
              embedded: true,
              values: {},
            },
          ]
        : []),
    ],
  });
  const withReleases = (resources: ClusterResource[], names: [string, string?][]): RenderedCluster => ({
    ...cluster(resources),
    helmReleases: names.map(([n, from]) => notAvailable(n, from)),
  });
  const notes = (base: RenderedCluster, head: RenderedCluster) =>
    compareClusters([base], [head], { base: [], head: [] }, { secrets: new SecretSet(), context: 3 })[0]!
      .notRendered;

  it('are named when their object or a valuesFrom object changed, and left out when Git holds them unchanged', () => {
    const names: [string, string?][] = [['web'], ['db'], ['cache', 'cache-values']];
    const base = withReleases(
      [
        release('web', { replicas: 1 }),
        release('db', { size: 1 }),
        release('cache', {}, 'cache-values'),
        resource('ConfigMap', 'cache-values', { data: { 'values.yaml': 'ttl: 1' } }),
      ],
      names,
    );
    const head = withReleases(
      [
        release('web', { replicas: 2 }),
        release('db', { size: 1 }),
        release('cache', {}, 'cache-values'),
        resource('ConfigMap', 'cache-values', { data: { 'values.yaml': 'ttl: 2' } }),
      ],
      names,
    );
    expect(notes(base, head)).toEqual([
      'HelmRelease apps/cache: chart cache 1.0.0 is not in the chart cache',
      'HelmRelease apps/web: chart web 1.0.0 is not in the chart cache',
    ]);
    expect(notes(base, base)).toEqual([]);
  });

  it('are named when only one side has them, or for another reason', () => {
    const base = withReleases([release('web', {})], [['web']]);
    const head = withReleases([release('web', {})], []);
    expect(notes(base, head)).toEqual(['HelmRelease apps/web: chart web 1.0.0 is not in the chart cache']);
  });
});
