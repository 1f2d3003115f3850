import { statSync } from 'node:fs';
import path from 'node:path';
import { normalizeGitUrl } from '../../git/remote-urls.js';
import type { ChartRef } from '../../render/helm/chart-cache.js';
import { sourceUrl } from '../cluster-lookup.js';
import { normalizeSpecPath } from '../flux-target.js';
import type { RenderedCluster } from '../types.js';
import { field, type HelmReleaseSpec, text } from './helm-release-spec.js';

/** Where a HelmRelease's chart is, as source-controller would build it. */
export type ChartSource =
  /** A chart directory (or packaged chart) in this repository or a directory `sources:` maps. */
  | {
      kind: 'local';
      path: string;
      sourceRoot: string;
      repoPath?: string;
      valuesFiles: ValuesFiles;
      label: string;
    }
  /** A chart of a chart repository or an OCI registry. */
  | { kind: 'remote'; ref: ChartRef; valuesFiles: ValuesFiles; label: string }
  /** Flux could not build it either (a missing path): the release fails. */
  | { kind: 'invalid'; message: string }
  /** fluxgate does not render it (another Git repository, a Bucket...). */
  | { kind: 'external'; reason: string };

export interface ValuesFiles {
  files: string[];
  ignoreMissing: boolean;
}

export interface ChartContext {
  root: string;
  cluster: RenderedCluster;
  /** A source object of the cluster by kind, namespace and name (indexed once per cluster). */
  find(ref: { kind: string; namespace: string; name: string }): Record<string, unknown> | undefined;
  /** This repository's URLs (normalized). */
  repoUrls: ReadonlySet<string>;
}

type Ref = { kind: string; name: string; namespace: string };

function refOf(value: Record<string, unknown> | undefined, namespace: string): Ref | undefined {
  const kind = text(value?.kind);
  const name = text(value?.name);
  return kind && name ? { kind, name, namespace: text(value?.namespace) ?? namespace } : undefined;
}

const idOf = (ref: Ref) => `${ref.kind}/${ref.namespace}/${ref.name}`;

/**
 * The chart of a HelmRelease: `spec.chartRef` (an OCIRepository, or a HelmChart object) or
 * `spec.chart.spec` (a chart of a HelmRepository, or a path in a GitRepository or Bucket), as
 * source-controller resolves them. A missing source is refs/source-not-found's to report.
 */
export function chartSource(
  release: HelmReleaseSpec,
  ctx: ChartContext,
): ChartSource | { kind: 'no-source'; reason: string } {
  const chartRef = refOf(field(release.spec, 'chartRef'), release.namespace);
  if (chartRef) {
    const object = ctx.find(chartRef);
    if (!object) return { kind: 'no-source', reason: `${idOf(chartRef)} not found` };
    if (chartRef.kind === 'OCIRepository') return ociRepository(object, chartRef);
    if (chartRef.kind === 'HelmChart') {
      const spec = field(object, 'spec') ?? {};
      return templateSource(spec, chartRef.namespace, ctx);
    }
    return { kind: 'external', reason: `charts from a ${chartRef.kind} are not rendered` };
  }
  const template = field(release.spec, 'chart', 'spec');
  if (!template)
    return { kind: 'invalid', message: 'the HelmRelease names no chart (spec.chart or spec.chartRef)' };
  return templateSource(template, release.namespace, ctx);
}

function valuesFilesOf(spec: Record<string, unknown>): ValuesFiles {
  const list = Array.isArray(spec.valuesFiles) ? spec.valuesFiles.filter((f) => typeof f === 'string') : [];
  return { files: list as string[], ignoreMissing: spec.ignoreMissingValuesFiles === true };
}

/** A HelmChart template (HelmRelease `spec.chart.spec`, or a HelmChart object's spec). */
function templateSource(
  spec: Record<string, unknown>,
  namespace: string,
  ctx: ChartContext,
): ChartSource | { kind: 'no-source'; reason: string } {
  const chart = text(spec.chart) ?? '';
  const version = text(spec.version) ?? '*';
  const source = refOf(field(spec, 'sourceRef'), namespace);
  if (!source) return { kind: 'invalid', message: 'spec.chart.spec.sourceRef names no source' };
  const valuesFiles = valuesFilesOf(spec);
  if (source.kind === 'HelmRepository') {
    const object = ctx.find(source);
    if (!object) return { kind: 'no-source', reason: `${idOf(source)} not found` };
    const repoSpec = field(object, 'spec') ?? {};
    const url = text(repoSpec.url);
    if (!url) return { kind: 'invalid', message: `${idOf(source)} has no spec.url` };
    const oci = url.startsWith('oci://');
    return {
      kind: 'remote',
      ref: {
        repository: url,
        chart,
        version,
        ...(oci && repoSpec.insecure === true ? { insecure: true } : {}),
      },
      valuesFiles,
      label: `${chart} ${version} from ${url}`,
    };
  }
  const dir = sourceDir(source, ctx);
  if (typeof dir !== 'object')
    return dir === undefined
      ? { kind: 'no-source', reason: `${idOf(source)} not found` }
      : { kind: 'external', reason: dir };
  const rel = normalizeSpecPath(chart);
  const absolute = path.join(dir.root, ...rel.split('/').filter(Boolean));
  const stat = statSync(absolute, { throwIfNoEntry: false });
  if (!stat || !(stat.isDirectory() || stat.isFile()))
    return { kind: 'invalid', message: `chart path '${chart}' does not exist in ${idOf(source)}` };
  const repoPath =
    dir.repoRel === undefined ? undefined : [dir.repoRel, rel].filter((p) => p !== '').join('/');
  return {
    kind: 'local',
    path: absolute,
    sourceRoot: dir.root,
    ...(repoPath !== undefined ? { repoPath } : {}),
    valuesFiles,
    label: `${chart} from ${idOf(source)}`,
  };
}

/**
 * The directory a GitRepository or Bucket stands for: this repository (the cluster's own sync
 * source, or a GitRepository of this repository's URL), or a directory `sources:` maps it to.
 * Undefined when the source is defined nowhere; a string says why it is not rendered.
 */
function sourceDir(source: Ref, ctx: ChartContext): { root: string; repoRel?: string } | string | undefined {
  const id = idOf(source);
  const mapped = ctx.cluster.sources?.[id];
  if (mapped !== undefined) {
    const root = path.resolve(ctx.root, mapped);
    const rel = path.relative(ctx.root, root).split(path.sep).join('/');
    return rel.startsWith('..') ? { root } : { root, repoRel: rel };
  }
  if (ctx.cluster.repoSources.includes(id)) return { root: ctx.root, repoRel: '' };
  const object = ctx.find(source);
  if (!object) return undefined;
  const url = sourceUrl(object);
  const key = url && (normalizeGitUrl(url) ?? url);
  if (source.kind === 'GitRepository' && key && ctx.repoUrls.has(key)) return { root: ctx.root, repoRel: '' };
  return `${id} (${url ?? source.kind}) is not this repository; map it to a local directory with sources in .fluxgate.yaml`;
}

/** An OCIRepository whose artifact is a Helm chart (chartRef): its URL is the chart's reference. */
function ociRepository(object: Record<string, unknown>, ref: Ref): ChartSource {
  const spec = field(object, 'spec') ?? {};
  const url = text(spec.url);
  if (!url) return { kind: 'invalid', message: `${idOf(ref)} has no spec.url` };
  const pin = field(spec, 'ref') ?? {};
  const digest = text(pin.digest);
  const version = text(pin.semver) ?? text(pin.tag) ?? 'latest';
  return {
    kind: 'remote',
    ref: {
      repository: url,
      chart: '',
      version,
      ...(digest ? { digest } : {}),
      ...(spec.insecure === true ? { insecure: true } : {}),
    },
    valuesFiles: { files: [], ignoreMissing: false },
    label: `${url}${digest ? `@${digest}` : `:${version}`}`,
  };
}
