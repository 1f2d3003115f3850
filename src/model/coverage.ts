import { isHelmRelease, isServedHelmRelease } from './helm/helm-release-spec.js';
import type { RenderStage } from './render-stage.js';
import type { RenderedCluster, RootFrom } from './types.js';

/** What one cluster's render covered: which Flux Kustomizations were rendered, and why not the others. */
export interface ClusterCoverage {
  name: string;
  /** The root directory, repo-relative. */
  root: string;
  /** How the root was found (see RootFrom). */
  from?: RootFrom;
  /** The Flux release the cluster is judged by, and where that is written (else the newest). */
  fluxVersion?: { version: string; from: string };
  kustomizations: {
    /** Every Flux Kustomization of the cluster fluxgate met (the root sync included). */
    total: number;
    rendered: number;
    /** Their source is another repository or artifact (map it with `sources`). */
    external: number;
    /** Their build needs what fluxgate does not fetch (remote bases, Helm charts in kustomize). */
    skipped: number;
    failed: number;
    /** Their source is defined nowhere fluxgate can see. */
    sourceNotFound: number;
    /** Of the rendered ones, those applying to another cluster (`spec.kubeConfig`: a hub's spokes). */
    remote: number;
  };
  /**
   * HelmRelease objects the cluster applies, and how many of them were rendered, had a chart
   * fluxgate could not get (render/chart-not-available), failed (no source, a template error) or
   * are of an API version the cluster's Flux no longer serves (schema/removed-api), so
   * helm-controller never sees them.
   */
  helmReleases: { total: number; rendered: number; notAvailable: number; failed: number; notServed: number };
  /** Flux Operator ResourceSets the cluster applies (what they generate is not rendered). */
  resourceSets: number;
  /** Each Kustomization not rendered: namespace/name and why. */
  notRendered: { namespace: string; name: string; reason: string }[];
}

/** The coverage of a whole run: every cluster, the builds outside clusters, the files checked as written. */
export interface Coverage {
  clusters: ClusterCoverage[];
  /** Kustomization directories no cluster reaches, built on their own. */
  standalone: { built: number; failed: number; skipped: number };
  /** Files with Kubernetes objects that no build reads, checked as they are written. */
  asWritten: number;
}

/** Objects of the cluster that pass `test`, each counted once (two Kustomizations may apply one). */
function distinct(
  cluster: RenderedCluster,
  test: (r: RenderedCluster['resources'][number]) => boolean,
): number {
  return new Set(
    cluster.resources.filter(test).map((r) => `${r.id.kind}/${r.id.namespace ?? ''}/${r.id.name}`),
  ).size;
}

function helmReleaseCounts(cluster: RenderedCluster): ClusterCoverage['helmReleases'] {
  const status = (s: string) => (cluster.helmReleases ?? []).filter((h) => h.status === s).length;
  const ofHelm = (r: RenderedCluster['resources'][number]) => isHelmRelease(r) && r.origin?.kind !== 'helm';
  return {
    total: distinct(cluster, ofHelm),
    rendered: status('rendered'),
    notAvailable: status('not-available'),
    failed: status('failed'),
    notServed: distinct(cluster, (r) => ofHelm(r) && !isServedHelmRelease(r, cluster.fluxVersion?.version)),
  };
}

function ofCluster(cluster: RenderedCluster): ClusterCoverage {
  const count = (kind: string) => cluster.incomplete.filter((i) => i.kind === kind).length;
  // The root sync counts, whether written in the repository or made by bootstrap or an operator;
  // a root applied by hand (kubectl apply -k) is no Flux Kustomization.
  const roots = cluster.from === 'applied' ? [] : (cluster.rootSyncs ?? []);
  const walked = (cluster.kustomizations?.length ?? 0) + roots.length;
  const failed = count('failed') + roots.filter((r) => r === 'failed').length;
  const skipped = count('skipped') + roots.filter((r) => r === 'skipped').length;
  const external = count('external');
  const sourceNotFound = count('source-not-found');
  return {
    name: cluster.name,
    root: cluster.root,
    ...(cluster.from ? { from: cluster.from } : {}),
    ...(cluster.fluxVersion ? { fluxVersion: cluster.fluxVersion } : {}),
    kustomizations: {
      total: walked + external + sourceNotFound,
      rendered: Math.max(0, walked - failed - skipped),
      external,
      skipped,
      failed,
      sourceNotFound,
      remote: (cluster.kustomizations ?? []).filter((k) => k.spec.kubeConfig !== undefined).length,
    },
    helmReleases: helmReleaseCounts(cluster),
    resourceSets: distinct(
      cluster,
      (r) => r.id.kind === 'ResourceSet' && r.id.apiVersion.startsWith('fluxcd.controlplane.io/'),
    ),
    notRendered: cluster.incomplete.map(({ namespace, name, reason }) => ({ namespace, name, reason })),
  };
}

export function coverageOf(
  render: Pick<RenderStage, 'clusters' | 'standalone'>,
  asWritten: number,
): Coverage {
  return {
    clusters: render.clusters.map(ofCluster),
    standalone: {
      built: render.standalone.filter((b) => b.status === 'ok').length,
      failed: render.standalone.filter((b) => b.status === 'failed').length,
      skipped: render.standalone.filter((b) => b.status === 'skipped').length,
    },
    asWritten,
  };
}

/** Whether a cluster was rendered only in part (or not at all). */
export function isPartial(c: ClusterCoverage): boolean {
  return c.kustomizations.rendered < c.kustomizations.total || c.kustomizations.total === 0;
}
