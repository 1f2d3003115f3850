import { describe, expect, it } from 'vitest';
import { releaseObject } from '../../src/model/helm/helm-place.js';
import type { ClusterResource, RenderedCluster } from '../../src/model/types.js';

const release = (name: string, namespace?: string, fromHelm = false): ClusterResource =>
  ({
    id: {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      name,
      ...(namespace ? { namespace } : {}),
    },
    value: { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name } },
    target: 'repo:apps',
    ...(fromHelm ? { origin: { kind: 'helm', release: { namespace: 'flux-system', name: 'parent' } } } : {}),
  }) as ClusterResource;

// A finding on a chart's object is placed through the release that rendered it; the lookup is
// indexed per cluster, and must not go stale when rendering adds objects to the cluster.
describe('the HelmRelease object behind a rendered object', () => {
  it('is found by namespace and name; one a chart rendered is not the release the cluster applies', () => {
    const cluster = {
      name: 'prod',
      root: 'clusters/prod',
      resources: [release('web', 'flux-system', true), release('web', 'flux-system'), release('api')],
    } as unknown as RenderedCluster;
    expect(releaseObject(cluster, { namespace: 'flux-system', name: 'web' })).toBe(cluster.resources[1]);
    // No namespace is the default namespace, as the API server reads it.
    expect(releaseObject(cluster, { namespace: 'default', name: 'api' })).toBe(cluster.resources[2]);
    expect(releaseObject(cluster, { namespace: 'flux-system', name: 'api' })).toBeUndefined();
  });

  it('sees releases added to the cluster after an earlier lookup', () => {
    const cluster = {
      name: 'prod',
      root: 'clusters/prod',
      resources: [release('web', 'apps')],
    } as unknown as RenderedCluster;
    expect(releaseObject(cluster, { namespace: 'apps', name: 'db' })).toBeUndefined();
    cluster.resources.push(release('db', 'apps'));
    expect(releaseObject(cluster, { namespace: 'apps', name: 'db' })).toBe(cluster.resources[1]);
  });
});
