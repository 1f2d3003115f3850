import { parsePointer } from '../../load/source-map.js';
import type { SourcePlace } from '../../render/origin/map-to-source.js';
import { valueAt } from '../../render/origin/pointer-translate.js';
import { objectsByName } from '../cluster-index.js';
import type { ClusterResource, RenderedCluster } from '../types.js';
import { chartPointer, isHelmRelease } from './helm-release-spec.js';
import { type Locate, layerPlace, valueSource } from './values-place.js';

/** A HelmRelease the cluster applies, not one a chart rendered. */
const appliedRelease = (r: ClusterResource) => isHelmRelease(r) && r.origin?.kind !== 'helm';

/** The HelmRelease object (as the cluster applies it) that rendered an object. */
export function releaseObject(
  cluster: RenderedCluster,
  release: { namespace: string; name: string },
): ClusterResource | undefined {
  return objectsByName(cluster, appliedRelease).get(`${release.namespace}/${release.name}`);
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
