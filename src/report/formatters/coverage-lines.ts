import { type ClusterCoverage, type Coverage, isPartial } from '../../model/coverage.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What became of a cluster's HelmReleases: `2 rendered, 1 chart not available, 1 failed`. */
function helmStatus(c: ClusterCoverage): string {
  const h = c.helmReleases;
  return [
    `${h.rendered} rendered`,
    h.notAvailable && `${h.notAvailable} chart${h.notAvailable === 1 ? '' : 's'} not available`,
    h.failed && `${h.failed} failed`,
    h.notServed && `${h.notServed} of a removed API version`,
  ]
    .filter(Boolean)
    .join(', ');
}

function clusterLine(c: ClusterCoverage): string {
  const k = c.kustomizations;
  const flux = c.fluxVersion ? `Flux ${c.fluxVersion.version}` : 'Flux newest';
  if (k.total === 0 && c.notRendered.length === 0)
    return `cluster ${c.name}: ${c.root || '.'} rendered, no Flux Kustomization in it (${flux})`;
  if (
    k.rendered === 0 &&
    k.total > 0 &&
    c.notRendered.length === k.total &&
    k.total === 1 &&
    k.external === 1
  )
    return `cluster ${c.name}: not rendered, ${c.notRendered[0]!.reason}`;
  const why = [
    k.external && `${k.external} external`,
    k.skipped && `${k.skipped} skipped`,
    k.failed && `${k.failed} failed`,
    k.sourceNotFound && `${k.sourceNotFound} without a source`,
    k.remote && `${k.remote} applying to other clusters`,
  ].filter(Boolean);
  const releases =
    (c.helmReleases.total > 0 ? `, ${plural(c.helmReleases.total, 'HelmRelease')} (${helmStatus(c)})` : '') +
    (c.resourceSets > 0 ? `, ${plural(c.resourceSets, 'ResourceSet')} (not expanded)` : '');
  return `cluster ${c.name}: ${k.rendered}/${k.total} Flux Kustomizations rendered${why.length > 0 ? ` (${why.join(', ')})` : ''}${releases}, ${flux}`;
}

/**
 * One line per cluster saying what was rendered (and a partial render is visible without
 * --debug), then what was checked outside clusters.
 */
export function coverageLines(coverage: Coverage | undefined): { text: string; partial: boolean }[] {
  if (!coverage) return [];
  const lines = coverage.clusters.map((c) => ({ text: clusterLine(c), partial: isPartial(c) }));
  const { standalone, asWritten } = coverage;
  const alone = standalone.built + standalone.failed + standalone.skipped;
  const outside = [
    alone > 0 &&
      `${plural(alone, 'kustomization')} built on ${alone === 1 ? 'its' : 'their'} own${standalone.failed > 0 ? ` (${standalone.failed} failed)` : ''}`,
    asWritten > 0 && `${plural(asWritten, 'file')} checked as written`,
  ].filter((x): x is string => typeof x === 'string');
  if (coverage.clusters.length === 0 && outside.length > 0)
    lines.push({ text: `no Flux cluster found: ${outside.join(', ')}`, partial: false });
  else if (outside.length > 0)
    lines.push({ text: `outside clusters: ${outside.join(', ')}`, partial: false });
  return lines;
}
