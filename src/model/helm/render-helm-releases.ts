import { resourceIdOf } from '../../load/resource.js';
import type { RenderFinding } from '../../render/types.js';
import { locateRendered } from '../locate-rendered.js';
import type { ClusterResource, HelmReleaseRender, RenderedCluster } from '../types.js';
import { apiVersions, kubeVersion } from './capabilities.js';
import { clusterScopedKinds, inReleaseNamespace } from './default-namespace.js';
import type { HelmReleasesContext } from './helm-context.js';
import { isServedHelmRelease } from './helm-release-spec.js';
import { renderRelease } from './render-release.js';

export type { HelmReleasesContext } from './helm-context.js';

export interface HelmReleasesResult {
  resources: ClusterResource[];
  releases: HelmReleaseRender[];
  findings: (RenderFinding & { cluster: string })[];
}

/**
 * Renders every HelmRelease (helm.toolkit.fluxcd.io/v2) the cluster applies, as helm-controller of
 * Flux v2.9.4 would: its chart as source-controller builds it, its values (spec.valuesFrom from
 * the cluster's ConfigMaps and Secrets, then spec.values), release name and namespace, the
 * cluster's Kubernetes version and APIs, CRDs by the install policy, post-renderers and the labels
 * helm-controller adds. Each object is tagged with its HelmRelease and template; what cannot be
 * rendered is said once (render/chart-not-available, helm/render-failed).
 */
export async function renderHelmReleases(
  cluster: RenderedCluster,
  ctx: HelmReleasesContext,
): Promise<HelmReleasesResult> {
  const seen = new Set<string>();
  const list = cluster.resources.filter((r) => {
    if (!isServedHelmRelease(r, cluster.fluxVersion?.version)) return false;
    const key = `${r.id.namespace ?? 'default'}/${r.id.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const out: HelmReleasesResult = { resources: [], releases: [], findings: [] };
  if (list.length === 0) return out;
  const capabilities = {
    kubeVersion: kubeVersion(ctx.kubernetesVersion),
    apiVersions: apiVersions(cluster.resources),
  };
  // Sources by kind/namespace/name, the first of each (as findSource reads them).
  const sources = new Map<string, Record<string, unknown>>();
  for (const r of cluster.resources) {
    const key = `${r.id.kind}/${r.id.namespace ?? 'default'}/${r.id.name}`;
    if (!sources.has(key)) sources.set(key, r.value);
  }
  const find = (ref: { kind: string; namespace: string; name: string }) =>
    sources.get(`${ref.kind}/${ref.namespace}/${ref.name}`);
  const renderAll = (caps: typeof capabilities) =>
    Promise.all(list.map((hr) => renderRelease(hr, cluster, { ...ctx, find }, caps)));
  let done = await renderAll(capabilities);
  // The CRDs charts install serve APIs that the next reconciliation of every release sees
  // (`.Capabilities.APIVersions`): rendered again with them, as the cluster settles.
  const crds = done.flatMap((one) =>
    one.objects.flatMap((o) => {
      const id = o.object.kind === 'CustomResourceDefinition' ? resourceIdOf(o.object) : undefined;
      return id ? [{ id, value: o.object }] : [];
    }),
  );
  const settled = crds.length > 0 ? apiVersions([...cluster.resources, ...crds]) : capabilities.apiVersions;
  if (settled.length > capabilities.apiVersions.length)
    done = await renderAll({ ...capabilities, apiVersions: settled });
  const scoped = clusterScopedKinds([...cluster.resources, ...crds]);
  for (const one of done) {
    out.releases.push(one.release);
    for (const { place, ...f } of one.findings) {
      const hr = one.hr;
      const at = place ?? locateRendered({ builds: ctx.builds, reader: ctx.reader }, cluster, hr, f.pointer);
      out.findings.push({
        ...f,
        file: at.file,
        docIndex: at.docIndex,
        pointer: at.pointer,
        source: 'render',
        perCluster: true,
        cluster: cluster.name,
        resource: hr.id,
      });
    }
    for (const o of one.objects) {
      const value = inReleaseNamespace(o.object, one.namespace, scoped);
      const id = resourceIdOf(value);
      if (!id) continue;
      out.resources.push({
        id,
        value,
        origin: {
          kind: 'helm',
          release: { namespace: one.release.namespace, name: one.release.name },
          template: o.template,
          ...(o.hook ? { hook: o.hook } : {}),
        },
        target: one.hr.target,
        ...(one.hr.appliedBy ? { appliedBy: one.hr.appliedBy } : {}),
      });
    }
  }
  return out;
}

/**
 * Renders the cluster's HelmReleases into it: their objects join `cluster.resources` (after every
 * Flux Kustomization's), `cluster.helmReleases` says how each went; returns the findings.
 */
export async function addHelmReleases(
  cluster: RenderedCluster,
  ctx: HelmReleasesContext,
): Promise<HelmReleasesResult['findings']> {
  const result = await renderHelmReleases(cluster, ctx);
  if (result.releases.length === 0) return [];
  cluster.resources.push(...result.resources);
  cluster.helmReleases = result.releases;
  return result.findings;
}
