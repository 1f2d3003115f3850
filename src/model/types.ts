import type { ResourceId } from '../core/diagnostic.js';
import type { DocLocation, RenderedResource } from '../render/types.js';

/** An object of a rendered cluster and the Flux Kustomization that applies it. */
export interface ClusterResource extends RenderedResource {
  appliedBy?: { namespace: string; name: string };
}

/**
 * How fluxgate knows a directory is a cluster's root: config `clusterRoots`; `flux bootstrap`'s
 * sync (a Kustomization deploying the directory that holds it); a FluxInstance's sync; the default
 * `clusters/<name>` layout; or Kustomizations reading this repository that nothing else applies
 * (applied by hand, `kubectl apply -k`).
 */
export type RootFrom = 'config' | 'bootstrap' | 'flux-instance' | 'default' | 'applied';

/** Why a Flux Kustomization of a cluster is not rendered. */
export type NotRenderedKind = 'external' | 'skipped' | 'failed' | 'source-not-found';

/** What one cluster's root renders to under Flux semantics (breadth-first through Flux Kustomizations). */
export interface RenderedCluster {
  name: string;
  /** The root directory (repo-relative). */
  root: string;
  /** How the root was found. */
  from?: RootFrom;
  /** The file that makes it a root (the bootstrap sync, the FluxInstance). */
  evidence?: DocLocation;
  /** The Flux release the cluster runs, and where that is written. */
  fluxVersion?: { version: string; from: string };
  /** Flux sources (`<Kind>/<namespace>/<name>`) read from directories of the repository (config and CI pushes). */
  sources?: Record<string, string>;
  resources: ClusterResource[];
  /** Keys of the build targets the cluster reached, in walk order. */
  targets: string[];
  /** Flux Kustomizations that could not be rendered (failed build, external source...). */
  incomplete: {
    namespace: string;
    name: string;
    reason: string;
    kind?: NotRenderedKind;
    /** Its source is Flux's own install manifests: it defines no object of the cluster's apps. */
    installsFlux?: boolean;
  }[];
  /** Flux sources (`<Kind>/<namespace>/<name>`) that stand for this repository in this cluster. */
  repoSources: string[];
  /** Root directories built without their sync Kustomization in the repository, by build status. */
  rootSyncs?: ('rendered' | 'failed' | 'skipped')[];
  /** Every Flux Kustomization the walk followed, roots included (whose objects may not be rendered). */
  kustomizations?: { namespace: string; name: string; spec: Record<string, unknown> }[];
  /** The cluster's HelmReleases and how each was rendered (their objects are in `resources`). */
  helmReleases?: HelmReleaseRender[];
}

/**
 * Where some of a HelmRelease's values are written: spec.values of the HelmRelease, a ConfigMap or
 * Secret of spec.valuesFrom (`object`), or a values file of the repository (chart.spec.valuesFiles,
 * a configMapGenerator's file). Findings on values are placed through it.
 */
export interface ValuesLayer {
  object?: ResourceId;
  file?: string;
  /** Where the values are in it: `/spec/values`, `/data/values.yaml`; '' for a whole file. */
  pointer: string;
  /** The values are YAML text in the string at `pointer` (a ConfigMap or Secret key). */
  embedded?: boolean;
  /** valuesFrom `targetPath`: the whole text is the value at this path (segments). */
  targetPath?: string[];
  values: unknown;
}

/** How one HelmRelease of the cluster was rendered (see model/helm/). */
export interface HelmReleaseRender {
  namespace: string;
  name: string;
  status: 'rendered' | 'not-available' | 'failed';
  reason?: string;
  /** `name version` of the chart, when it was loaded. */
  chart?: string;
  /** The chart's directory in the repository, for a chart read from the work tree. */
  chartDir?: string;
  /** Values in order of precedence, lowest first (chart defaults are not among them). */
  layers: ValuesLayer[];
}

export const FLUX_KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';

export function isFluxKustomization(id: ResourceId): boolean {
  return id.kind === 'Kustomization' && id.apiVersion.startsWith(`${FLUX_KUSTOMIZE_GROUP}/`);
}
