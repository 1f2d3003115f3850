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
