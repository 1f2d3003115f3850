import type { ClusterResource, RenderedCluster } from './types.js';

type Select = (r: ClusterResource) => boolean;

const indexes = new WeakMap<
  RenderedCluster,
  Map<Select, { size: number; byName: Map<string, ClusterResource> }>
>();

/**
 * The cluster's objects that `select` picks, by `namespace/name` (no namespace is `default`; the
 * first of each, as a scan finds it): made once per cluster and selector, and again when the
 * cluster has gained objects since (its HelmReleases' objects are added after its builds'). A
 * lookup per finding scanned every object. `select` is the index's key: a module-level function.
 */
export function objectsByName(cluster: RenderedCluster, select: Select): Map<string, ClusterResource> {
  let perSelect = indexes.get(cluster);
  if (!perSelect) {
    perSelect = new Map();
    indexes.set(cluster, perSelect);
  }
  let index = perSelect.get(select);
  if (index?.size !== cluster.resources.length) {
    const byName = new Map<string, ClusterResource>();
    for (const r of cluster.resources) {
      if (!select(r)) continue;
      const key = `${r.id.namespace ?? 'default'}/${r.id.name}`;
      if (!byName.has(key)) byName.set(key, r);
    }
    index = { size: cluster.resources.length, byName };
    perSelect.set(select, index);
  }
  return index.byName;
}
