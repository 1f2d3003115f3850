import path from 'node:path';
import { isRecord, type SourceFile } from '../load/resource.js';
import type { RenderStage } from '../model/render-stage.js';
import type { RenderedCluster } from '../model/types.js';
import type { Catalog } from '../schema/catalog/catalog-index.js';
import { type InstalledRelease, installedReleases } from '../schema/catalog/installed-releases.js';

const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** Remote resources of the kustomization files a cluster's builds read (`?ref=`, release assets). */
function kustomizationUrls(
  render: RenderStage,
  cluster: RenderedCluster,
  loaded: ReadonlyMap<string, SourceFile>,
): { url: string; file: string }[] {
  const keys = new Set(cluster.targets);
  const out: { url: string; file: string }[] = [];
  const seen = new Set<string>();
  for (const build of render.builds) {
    if (!keys.has(build.target.key)) continue;
    for (const file of build.inputs) {
      if (seen.has(file) || !KUSTOMIZATION_FILES.has(path.posix.basename(file))) continue;
      seen.add(file);
      for (const r of (loaded.get(file) ?? render.reader.get(file))?.resources ?? []) {
        if (!isRecord(r.value)) continue;
        for (const list of [r.value.resources, r.value.bases, r.value.components])
          if (Array.isArray(list))
            for (const url of list)
              if (typeof url === 'string' && /^(https?:\/\/|github\.com\/|git@)/.test(url))
                out.push({ url, file });
      }
    }
  }
  return out;
}

/**
 * Per cluster, the catalog projects' releases its manifests say it installs (HelmReleases,
 * OCIRepositories, GitRepositories, remote kustomization resources): the catalog checks the
 * cluster's objects with the closest pinned release.
 */
export function catalogInstalls(
  catalog: Catalog,
  render: RenderStage,
  loaded: ReadonlyMap<string, SourceFile>,
): Map<string, Map<string, InstalledRelease>> {
  const out = new Map<string, Map<string, InstalledRelease>>();
  for (const cluster of render.clusters)
    out.set(
      cluster.name,
      installedReleases(
        catalog.projects,
        cluster.resources.map((r) => r.value),
        kustomizationUrls(render, cluster, loaded),
      ),
    );
  return out;
}

/**
 * For objects no cluster applies (components, bases checked on their own): a fork any cluster
 * installs, else the release every cluster that installs the project agrees on, else none.
 */
export function outsideInstalls(
  installs: ReadonlyMap<string, ReadonlyMap<string, InstalledRelease>>,
): Map<string, InstalledRelease> {
  const out = new Map<string, InstalledRelease>();
  const seen = new Map<string, InstalledRelease[]>();
  for (const map of installs.values())
    for (const [project, installed] of map) seen.set(project, [...(seen.get(project) ?? []), installed]);
  for (const [project, list] of seen) {
    const fork = list.find((i) => i.fork);
    if (fork) out.set(project, fork);
    else if (new Set(list.map((i) => i.version)).size === 1) out.set(project, list[0]!);
  }
  return out;
}
