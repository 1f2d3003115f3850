import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ClusterResource, RenderedCluster } from '../types.js';
import { releaseObject } from './helm-place.js';

/** Whether a repository file belongs to a Helm chart (a directory above it has a Chart.yaml). */
export function inHelmChart(root: string, file: string): boolean {
  for (
    let dir = path.posix.dirname(file);
    dir !== '.' && dir !== '/' && dir !== '';
    dir = path.posix.dirname(dir)
  )
    if (existsSync(path.join(root, dir, 'Chart.yaml'))) return true;
  return false;
}

function objectTarget(cluster: RenderedCluster, id: NonNullable<ClusterResource['id']>): string | undefined {
  return cluster.resources.find(
    (r) =>
      r.origin?.kind !== 'helm' &&
      r.id.kind === id.kind &&
      r.id.name === id.name &&
      (r.id.namespace ?? '') === (id.namespace ?? ''),
  )?.target;
}

/**
 * Changed-files mode: the HelmReleases a change reaches (a file of their chart in the repository,
 * a values file, or a build that holds the HelmRelease or an object its values come from), as
 * the build targets their objects carry, and the files their findings may be placed in.
 */
export function helmFocus(
  clusters: readonly RenderedCluster[],
  changed: ReadonlySet<string>,
  targets: ReadonlySet<string>,
): { targets: string[]; files: string[] } {
  const out = { targets: [] as string[], files: [] as string[] };
  for (const cluster of clusters)
    for (const release of cluster.helmReleases ?? []) {
      const hr = releaseObject(cluster, release);
      if (!hr) continue;
      const dir = release.chartDir;
      const touched =
        targets.has(hr.target) ||
        (dir !== undefined && [...changed].some((f) => f.startsWith(`${dir}/`))) ||
        release.layers.some(
          (l) =>
            (l.file !== undefined && changed.has(l.file)) ||
            (l.object !== undefined && targets.has(objectTarget(cluster, l.object) ?? '\0')),
        );
      if (!touched) continue;
      out.targets.push(hr.target);
      if (hr.origin?.kind === 'file') out.files.push(hr.origin.file);
      for (const l of release.layers) if (l.file !== undefined) out.files.push(l.file);
      for (const f of changed) if (dir !== undefined && f.startsWith(`${dir}/`)) out.files.push(f);
    }
  return out;
}
