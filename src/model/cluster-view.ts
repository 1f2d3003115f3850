import { lstatSync, readlinkSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { ClusterView } from '../refs/cluster-view.js';
import { normalizeSpecPath } from './flux-target.js';
import type { RenderedCluster } from './types.js';

/** Kinds that create Flux objects outside Git (Flux Operator, ...): references may be satisfied there. */
const OUTSIDE_CREATORS = new Set(['FluxInstance', 'ResourceSet', 'ResourceSetInputProvider']);

/**
 * A directory as the source's artifact holds it: source-controller archives only regular files
 * and directories, so a path through a symlink is not there, wherever the link points (`/etc`,
 * outside the repository). Answers without following the link: `link` names the first one.
 */
function artifactDir(base: string, rel: string): { exists: boolean; link?: string } {
  let at = base;
  for (const part of rel.split('/').filter(Boolean)) {
    at = path.join(at, part);
    let stat: Stats;
    try {
      stat = lstatSync(at);
    } catch {
      return { exists: false };
    }
    if (stat.isSymbolicLink()) {
      let target = '?';
      try {
        target = readlinkSync(at);
      } catch {
        // gone in between: the link is still the reason
      }
      return { exists: false, link: `${path.relative(base, at).split(path.sep).join('/')} -> ${target}` };
    }
    if (!stat.isDirectory()) return { exists: false };
  }
  return { exists: true };
}

/**
 * A rendered cluster as the reference checks (src/refs) see it. A source that stands for this
 * repository but is defined nowhere in it was created outside Git (the AKS extension, a
 * FluxInstance): then Flux objects may exist that the repository does not show.
 */
export function toClusterView(
  root: string,
  config: Config,
  cluster: RenderedCluster,
  inFailedBuilds?: ReadonlyMap<string, string>,
): ClusterView {
  const ids = new Set(
    cluster.resources.map((r) => `${r.id.kind}/${r.id.namespace ?? 'default'}/${r.id.name}`),
  );
  const outside =
    cluster.resources.some((r) => OUTSIDE_CREATORS.has(r.id.kind)) ||
    cluster.repoSources.some((id) => !ids.has(id));
  const baseOf = (source: { kind: string; namespace: string; name: string }) => {
    const id = `${source.kind}/${source.namespace}/${source.name}`;
    const mapped = (cluster.sources ?? config.sources)[id];
    return mapped !== undefined
      ? path.resolve(root, mapped)
      : cluster.repoSources.includes(id)
        ? root
        : undefined;
  };
  return {
    name: cluster.name,
    objects: cluster.resources.map((r) => ({
      id: r.id,
      value: r.value,
      ...(r.appliedBy ? { appliedBy: r.appliedBy } : {}),
    })),
    hasOutsideCreators: outside,
    repoSources: cluster.repoSources,
    // What fluxgate cannot know: Kustomizations reading another source or needing the network. A
    // failed build's files are known (inFailedBuilds); a Kustomization waiting for a source that
    // is defined nowhere is most likely a typo. Neither excuses other missing references.
    unrendered: cluster.incomplete.filter(
      (i) => (i.kind === 'external' && !i.installsFlux) || i.kind === 'skipped',
    ),
    ...(inFailedBuilds && inFailedBuilds.size > 0 ? { inFailedBuilds } : {}),
    kustomizations: new Map((cluster.kustomizations ?? []).map((k) => [`${k.namespace}/${k.name}`, k.spec])),
    pathExists(source, specPath) {
      const base = baseOf(source);
      return base === undefined ? undefined : artifactDir(base, normalizeSpecPath(specPath)).exists;
    },
    pathLink(source, specPath) {
      const base = baseOf(source);
      return base === undefined ? undefined : artifactDir(base, normalizeSpecPath(specPath)).link;
    },
  };
}
