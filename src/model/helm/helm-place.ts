import { parsePointer } from '../../load/source-map.js';
import type { SourcePlace } from '../../render/origin/map-to-source.js';
import { valueAt } from '../../render/origin/pointer-translate.js';
import type { ClusterResource, RenderedCluster } from '../types.js';
import { chartPointer, isHelmRelease } from './helm-release-spec.js';
import { type Locate, layerPlace, valueSource } from './values-place.js';

/** A cluster's HelmRelease objects by `namespace/name`, for as many resources as it had when made. */
const releaseIndex = new WeakMap<RenderedCluster, { size: number; byName: Map<string, ClusterResource> }>();

/** The HelmRelease object (as the cluster applies it) that rendered an object. */
export function releaseObject(
  cluster: RenderedCluster,
  release: { namespace: string; name: string },
): ClusterResource | undefined {
  let index = releaseIndex.get(cluster);
  // Made again if resources were added since (one lookup per finding scanned them all).
  if (index?.size !== cluster.resources.length) {
    const byName = new Map<string, ClusterResource>();
    for (const r of cluster.resources) {
      if (!isHelmRelease(r) || r.origin?.kind === 'helm') continue;
      const key = `${r.id.namespace ?? 'default'}/${r.id.name}`;
      // The first, as a scan finds it.
      if (!byName.has(key)) byName.set(key, r);
    }
    index = { size: cluster.resources.length, byName };
    releaseIndex.set(cluster, index);
  }
  return index.byName.get(`${release.namespace}/${release.name}`);
}

/**
 * Where a finding on an object a HelmRelease rendered belongs: the values entry its value came
 * from (spec.values, a valuesFrom ConfigMap or values file, see values-place.ts), else the
 * HelmRelease's chart line (the template is named in the message).
 */
export function helmPlace(
  cluster: RenderedCluster,
  resource: ClusterResource,
  pointer: string,
  locate: Locate,
): SourcePlace {
  const origin = resource.origin;
  const owner = origin?.kind === 'helm' ? origin.release : { namespace: '', name: '' };
  const release = cluster.helmReleases?.find((h) => h.namespace === owner.namespace && h.name === owner.name);
  if (release && pointer !== '') {
    const from = valueSource(release.layers, parsePointer(pointer), valueAt(resource.value, pointer));
    const place = from && layerPlace(cluster, release.layers[from.layer]!, from.path, locate);
    if (place) return { ...place, via: 'values' };
  }
  const hr = releaseObject(cluster, owner);
  if (!hr) return { file: resource.target, docIndex: 0, pointer: '', via: 'chart' };
  const spec = (hr.value.spec ?? {}) as Record<string, unknown>;
  return { ...locate(hr, chartPointer(spec)), via: 'chart' };
}
