import type { HelmRenderResult } from '../../render/helm/helm-protocol.js';
import type { SourcePlace } from '../../render/origin/map-to-source.js';
import type { RenderFinding } from '../../render/types.js';
import { locateRendered } from '../locate-rendered.js';
import type { ClusterResource, HelmReleaseRender, RenderedCluster } from '../types.js';
import { chartDependencies, chartFile } from './chart-input.js';
import { type ChartContext, chartSource } from './chart-source.js';
import type { HelmReleasesContext } from './helm-context.js';
import { chartPointer, field, helmReleaseSpec } from './helm-release-spec.js';
import { renderRequest } from './render-request.js';
import { chartValueLayers, releaseValues } from './values-layers.js';
import { valuesPathPlace } from './values-place.js';

/** A finding on the HelmRelease: at `pointer` of it, or at `place` (a values entry). */
export type Finding = Omit<RenderFinding, 'file' | 'docIndex' | 'pointer' | 'perCluster' | 'source'> & {
  pointer: string;
  place?: SourcePlace;
};

/** One HelmRelease rendered: its objects, and findings on it still to be placed. */
export interface RenderedRelease {
  hr: ClusterResource;
  namespace: string;
  release: HelmReleaseRender;
  objects: NonNullable<HelmRenderResult['objects']>;
  findings: Finding[];
}

export async function renderRelease(
  hr: ClusterResource,
  cluster: RenderedCluster,
  ctx: HelmReleasesContext & Pick<ChartContext, 'find'>,
  capabilities: { kubeVersion: string | undefined; apiVersions: string[] },
): Promise<RenderedRelease> {
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
  const one: RenderedRelease = { hr, namespace: spec.releaseNamespace, release, objects: [], findings: [] };
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
      `Helm is not installed: ${ctx.helm.missing ?? 'no helm-server'}, so the chart is not rendered`,
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
  release.layers = [...chartValueLayers(source, ctx.root, ctx.reader), ...values.layers];

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
    const deps = await chartDependencies(result.dependencies, ctx);
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
