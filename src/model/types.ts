import type { ResourceId } from '../core/diagnostic.js';
import type { RenderedResource } from '../render/types.js';

/** An object of a rendered cluster and the Flux Kustomization that applies it. */
export interface ClusterResource extends RenderedResource {
  appliedBy?: { namespace: string; name: string };
}

/** What one cluster's root renders to under Flux semantics (breadth-first through Flux Kustomizations). */
export interface RenderedCluster {
  name: string;
  /** The root directory (repo-relative), or the root Flux Kustomization when clusterRoots matched nothing. */
  root: string;
  resources: ClusterResource[];
  /** Keys of the build targets the cluster reached, in walk order. */
  targets: string[];
  /** Flux Kustomizations that could not be rendered (failed build, external source...). */
  incomplete: { namespace: string; name: string; reason: string }[];
  /** Flux sources (`<Kind>/<namespace>/<name>`) that stand for this repository in this cluster. */
  repoSources: string[];
  /** Every Flux Kustomization the walk followed, roots included (whose objects may not be rendered). */
  kustomizations?: { namespace: string; name: string; spec: Record<string, unknown> }[];
}

export const FLUX_KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';

export function isFluxKustomization(id: ResourceId): boolean {
  return id.kind === 'Kustomization' && id.apiVersion.startsWith(`${FLUX_KUSTOMIZE_GROUP}/`);
}
