import { statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { ClusterView } from '../refs/cluster-view.js';
import { normalizeSpecPath } from './flux-target.js';
import type { RenderedCluster } from './types.js';

/** Kinds that create Flux objects outside Git (Flux Operator, ...): references may be satisfied there. */
const OUTSIDE_CREATORS = new Set(['FluxInstance', 'ResourceSet', 'ResourceSetInputProvider']);

function isDir(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
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
      const id = `${source.kind}/${source.namespace}/${source.name}`;
      const mapped = (cluster.sources ?? config.sources)[id];
      const base =
        mapped !== undefined
          ? path.resolve(root, mapped)
          : cluster.repoSources.includes(id)
            ? root
            : undefined;
      return base === undefined ? undefined : isDir(path.join(base, normalizeSpecPath(specPath)));
    },
  };
}
