import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { contentKey } from '../../cache/store.js';
import { isRecord } from '../../load/resource.js';
import { type ChartRef, withoutUser } from '../../render/helm/chart-cache.js';
import { treeDigest } from '../../render/helm/chart-digest.js';
import type { HelmRenderResult } from '../../render/helm/helm-protocol.js';
import { isMissing } from '../../render/helm/helm-renderer.js';
import type { ChartSource } from './chart-source.js';
import type { HelmReleasesContext } from './helm-context.js';

/** How to get a chart that is not in the cache, for render/chart-not-available. */
export const HINT =
  'set network.charts: true in .fluxgate.yaml to download charts into the cache, or fill it with `fluxgate charts pull`';

/** The chart as a file or directory to load, and a digest of everything it reads. */
export async function chartFile(
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

/** Chart repository dependencies of a chart directory, from the cache (or the network). */
export async function chartDependencies(
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
