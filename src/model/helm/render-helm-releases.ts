import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { contentKey } from '../../cache/store.js';
import { isRecord, resourceIdOf } from '../../load/resource.js';
import type { TargetBuild } from '../../render/build/build-target.js';
import type { ChartRef } from '../../render/helm/chart-cache.js';
import { withoutUser } from '../../render/helm/chart-cache.js';
import { treeDigest } from '../../render/helm/chart-digest.js';
import type { HelmRenderRequest, HelmRenderResult } from '../../render/helm/helm-protocol.js';
import { type HelmRenderer, isMissing } from '../../render/helm/helm-renderer.js';
import type { SourcePlace } from '../../render/origin/map-to-source.js';
import type { SourceReader } from '../../render/source-reader.js';
import type { RenderFinding } from '../../render/types.js';
import { locateRendered } from '../locate-rendered.js';
import type { ClusterResource, HelmReleaseRender, RenderedCluster } from '../types.js';
import { apiVersions, kubeVersion } from './capabilities.js';
import { type ChartContext, type ChartSource, chartSource } from './chart-source.js';
import { clusterScopedKinds, inReleaseNamespace } from './default-namespace.js';
import {
  chartPointer,
  field,
  type HelmReleaseSpec,
  helmReleaseSpec,
  isHelmRelease,
} from './helm-release-spec.js';
import { releaseValues } from './values-layers.js';
import { valuesPathPlace } from './values-place.js';

export interface HelmReleasesContext {
  root: string;
  reader: SourceReader;
  helm: HelmRenderer;
  /** The cluster's builds (findings on a HelmRelease are placed through them). */
  builds: readonly TargetBuild[];
  /** This repository's URLs (normalized): a GitRepository of one of them is this repository. */
  repoUrls: ReadonlySet<string>;
  /** `clusters.<name>.kubernetesVersion`. */
  kubernetesVersion?: string | undefined;
  /** Digests of chart directories and files, shared by the clusters of a run. */
  digests: Map<string, string>;
}

export interface HelmReleasesResult {
  resources: ClusterResource[];
  releases: HelmReleaseRender[];
  findings: (RenderFinding & { cluster: string })[];
}

/** A finding on the HelmRelease: at `pointer` of it, or at `place` (a values entry). */
type Finding = Omit<RenderFinding, 'file' | 'docIndex' | 'pointer' | 'perCluster' | 'source'> & {
  pointer: string;
  place?: SourcePlace;
};

const HINT =
  'set network.charts: true in .fluxgate.yaml to download charts into the cache, or fill it with `fluxgate charts pull`';

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
    if (!isHelmRelease(r)) return false;
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
    Promise.all(list.map((hr) => renderOne(hr, cluster, { ...ctx, find }, caps)));
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

interface One {
  hr: ClusterResource;
  namespace: string;
  release: HelmReleaseRender;
  objects: NonNullable<HelmRenderResult['objects']>;
  findings: Finding[];
}

async function renderOne(
  hr: ClusterResource,
  cluster: RenderedCluster,
  ctx: HelmReleasesContext & Pick<ChartContext, 'find'>,
  capabilities: { kubeVersion: string | undefined; apiVersions: string[] },
): Promise<One> {
  const spec = helmReleaseSpec(hr);
  const id = `HelmRelease ${spec.namespace}/${spec.name}`;
  const chartAt = chartPointer(spec.spec);
  const values = releaseValues(spec, hr, cluster, ctx.reader);
  const release: HelmReleaseRender = {
    namespace: spec.namespace,
    name: spec.name,
    status: 'failed',
    layers: values.layers,
  };
  const one: One = { hr, namespace: spec.releaseNamespace, release, objects: [], findings: [] };
  const fail = (reason: string, finding?: Finding) => {
    release.status = 'failed';
    release.reason = reason;
    if (finding) one.findings.push(finding);
    return one;
  };
  const notAvailable = (reason: string) => {
    release.status = 'not-available';
    release.reason = reason;
    one.findings.push({
      ruleId: 'render/chart-not-available',
      severity: 'info',
      pointer: chartAt,
      message: `${id}: ${reason}; its objects are not checked`,
    });
    return one;
  };
  if (!ctx.helm.installed)
    return notAvailable(
      'Helm is not installed (tools/helm-server: run `npm run tools`, i.e. scripts/install-tools.sh), so the chart is not rendered',
    );

  const source = chartSource(spec, { root: ctx.root, cluster, repoUrls: ctx.repoUrls, find: ctx.find });
  if (source.kind === 'no-source') return fail(`chart source ${source.reason}`);
  if (source.kind === 'invalid')
    return fail(source.message, {
      ruleId: 'helm/render-failed',
      severity: 'error',
      pointer: chartAt,
      message: `${id}: ${source.message}`,
    });
  if (source.kind === 'external') return notAvailable(source.reason);
  const chart = await chartFile(source, ctx);
  if ('reason' in chart) return notAvailable(chart.reason);
  if (source.kind === 'local' && source.repoPath !== undefined) release.chartDir = source.repoPath;
  // The chart's own values files in the repository are values the user edits (lowest first).
  release.layers = [...chartValueLayers(source, ctx), ...values.layers];

  if (values.failure)
    // Flux stops here; refs/values-from-not-found reports the reference.
    return fail(values.failure.message);
  for (const u of values.unknown)
    one.findings.push({
      ruleId: 'render/unknown-values',
      severity: 'info',
      pointer: `/spec/valuesFrom/${u.index}`,
      message: `${id} reads values from ${u.kind} ${spec.namespace}/${u.name}, which is ${u.reason}: the chart is rendered without them, and what they set is not checked`,
    });

  const request = renderRequest(spec, chart.file, source, values, capabilities, ctx);
  let result = await ctx.helm.render(request, chart.inputs);
  if (result.stage === 'dependencies' && result.dependencies) {
    const deps = await dependencies(result.dependencies, ctx);
    if ('reason' in deps) return notAvailable(deps.reason);
    request.dependencies = deps.files;
    result = await ctx.helm.render(request, `${chart.inputs}\0${deps.digests}`);
  }
  if (result.chart) release.chart = `${result.chart.name} ${result.chart.version}`;
  if (result.schemaErrors && result.schemaErrors.length > 0) {
    for (const e of result.schemaErrors) {
      const segments = e.path
        .split('/')
        .slice(1)
        .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
      const place = valuesPathPlace(cluster, release.layers, segments, (r, p) =>
        locateRendered({ builds: ctx.builds, reader: ctx.reader }, cluster, r, p),
      );
      one.findings.push({
        ruleId: 'helm/values-schema',
        severity: 'error',
        pointer: chartAt,
        ...(place ? { place } : {}),
        ...(e.key ? { atKey: true } : {}),
        message: `${id}: the values do not meet the schema of chart ${e.chart} (values.schema.json) ${e.message}`,
      });
    }
    return fail('values do not meet the chart schema');
  }
  if (result.error !== undefined) {
    const pointer =
      result.stage === 'values' && result.valuesFrom !== undefined
        ? `/spec/valuesFrom/${result.valuesFrom}`
        : result.stage === 'post-render'
          ? '/spec/postRenderers'
          : chartAt;
    return fail(result.error, {
      ruleId: 'helm/render-failed',
      severity: 'error',
      pointer,
      message: `${id}: ${result.stage === 'server' ? 'helm-server: ' : ''}${result.error}`,
    });
  }
  for (const p of result.patches ?? [])
    if (p.matched === 0) {
      const patch = field(
        spec.spec,
        'postRenderers',
        String(p.renderer),
        'kustomize',
        'patches',
        String(p.patch),
      );
      one.findings.push({
        ruleId: 'helm/post-renderer-no-match',
        severity: 'warning',
        pointer: `/spec/postRenderers/${p.renderer}/kustomize/patches/${p.patch}${patch?.target ? '/target' : ''}`,
        message: `${id}: post-renderer patch ${p.patch} matches no object the chart renders, so it changes nothing`,
      });
    }
  release.status = 'rendered';
  one.objects = result.objects ?? [];
  return one;
}

/** The chart as a file or directory to load, and a digest of everything it reads. */
async function chartFile(
  source: Extract<ChartSource, { kind: 'local' | 'remote' }>,
  ctx: HelmReleasesContext,
): Promise<{ file: string; inputs: string } | { reason: string }> {
  if (source.kind === 'local') {
    // Once per chart and values files in a run (the same chart serves many releases).
    const memo = `inputs\0${source.path}\0${source.sourceRoot}\0${source.valuesFiles.files.join('\0')}`;
    let inputs = ctx.digests.get(memo);
    if (!inputs) {
      const parts = [treeDigest(source.path, ctx.digests)];
      for (const dep of localDependencies(source.path)) parts.push(dep, treeDigest(dep, ctx.digests));
      for (const f of source.valuesFiles.files)
        parts.push(f, treeDigest(path.resolve(source.sourceRoot, f), ctx.digests));
      inputs = contentKey(...parts);
      ctx.digests.set(memo, inputs);
    }
    return { file: source.path, inputs };
  }
  const chart = ctx.helm.network ? await ctx.helm.pull(source.ref) : ctx.helm.cached(source.ref);
  if (!chart) return { reason: `chart ${withoutUser(source.label)} is not in the chart cache (${HINT})` };
  if (isMissing(chart))
    return { reason: `chart ${withoutUser(source.label)} could not be downloaded: ${chart.error}` };
  return { file: chart.file, inputs: chart.digest };
}

/** Directories of a chart directory's `file://` dependencies (Chart.yaml, Chart.lock). */
function localDependencies(chartDir: string): string[] {
  const out: string[] = [];
  for (const name of ['Chart.yaml', 'Chart.lock']) {
    let doc: unknown;
    try {
      doc = parse(readFileSync(path.join(chartDir, name), 'utf8'));
    } catch {
      continue;
    }
    const deps = isRecord(doc) && Array.isArray(doc.dependencies) ? doc.dependencies : [];
    for (const d of deps)
      if (isRecord(d) && typeof d.repository === 'string' && d.repository.startsWith('file://'))
        out.push(path.resolve(chartDir, d.repository.slice('file://'.length)));
  }
  return out;
}

/** The values files of a chart read from the repository (valuesFiles, else its values.yaml). */
function chartValueLayers(
  source: Extract<ChartSource, { kind: 'local' | 'remote' }>,
  ctx: HelmReleasesContext,
): HelmReleaseRender['layers'] {
  if (source.kind !== 'local' || source.repoPath === undefined) return [];
  const base = path.relative(ctx.root, source.sourceRoot).split(path.sep).join('/');
  const files =
    source.valuesFiles.files.length > 0
      ? source.valuesFiles.files.map((f) => path.posix.normalize(path.posix.join(base, f)))
      : [path.posix.join(source.repoPath, 'values.yaml')];
  return files.flatMap((file) => {
    const doc = ctx.reader.document(file, 0);
    return doc === undefined ? [] : [{ file, pointer: '', values: doc }];
  });
}

/** Chart repository dependencies of a chart directory, from the cache (or the network). */
async function dependencies(
  list: NonNullable<HelmRenderResult['dependencies']>,
  ctx: HelmReleasesContext,
): Promise<{ files: Record<string, string>; digests: string } | { reason: string }> {
  const files: Record<string, string> = {};
  const digests: string[] = [];
  for (const dep of list) {
    if (!/^(https?|oci):\/\//.test(dep.repository))
      return {
        reason: `chart dependency ${dep.name} names repository '${dep.repository}', which fluxgate cannot resolve`,
      };
    const ref: ChartRef = { repository: dep.repository, chart: dep.name, version: dep.version || '*' };
    const chart = ctx.helm.network ? await ctx.helm.pull(ref) : ctx.helm.cached(ref);
    const label = `${dep.name} ${dep.version} from ${withoutUser(dep.repository)}`;
    if (!chart) return { reason: `chart dependency ${label} is not in the chart cache (${HINT})` };
    if (isMissing(chart))
      return { reason: `chart dependency ${label} could not be downloaded: ${chart.error}` };
    files[dep.alias || dep.name] = chart.file;
    digests.push(dep.alias || dep.name, chart.digest);
  }
  return { files, digests: digests.join('\0') };
}

function renderRequest(
  spec: HelmReleaseSpec,
  chart: string,
  source: Extract<ChartSource, { kind: 'local' | 'remote' }>,
  values: ReturnType<typeof releaseValues>,
  capabilities: { kubeVersion: string | undefined; apiVersions: string[] },
  ctx: HelmReleasesContext,
): HelmRenderRequest {
  const s = spec.spec;
  const install = field(s, 'install') ?? {};
  const test = field(s, 'test') ?? {};
  const common = field(s, 'commonMetadata');
  return {
    chart,
    ...(source.kind === 'local' ? { sourceRoot: source.sourceRoot } : {}),
    ...(source.valuesFiles.files.length > 0
      ? { valuesFiles: source.valuesFiles.files, ignoreMissingValuesFiles: source.valuesFiles.ignoreMissing }
      : {}),
    valuesFrom: values.valuesFrom,
    ...(values.values ? { values: values.values } : {}),
    releaseName: spec.releaseName,
    namespace: spec.releaseNamespace,
    owner: { name: spec.name, namespace: spec.namespace },
    ...(capabilities.kubeVersion ? { kubeVersion: capabilities.kubeVersion } : {}),
    apiVersions: capabilities.apiVersions,
    ...(typeof install.crds === 'string' ? { crds: install.crds } : {}),
    ...(Array.isArray(s.postRenderers)
      ? { postRenderers: s.postRenderers as HelmRenderRequest['postRenderers'] }
      : {}),
    ...(common ? { commonMetadata: common as HelmRenderRequest['commonMetadata'] } : {}),
    ...(typeof s.postRenderStrategy === 'string' ? { postRenderStrategy: s.postRenderStrategy } : {}),
    ...(install.disableSchemaValidation === true ? { disableSchemaValidation: true } : {}),
    ...(install.disableHooks === true ? { disableHooks: true } : {}),
    ...(test.enable === true ? { tests: true } : {}),
    ...(ctx.helm.network ? { network: true } : {}),
  };
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
