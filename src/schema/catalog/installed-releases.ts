import { isRecord } from '../../load/resource.js';
import type { CatalogProject } from './catalog-index.js';

/** The release of a catalog project that a cluster installs, and what says so. */
export interface InstalledRelease {
  /** `v1.17.1`, or `v1.17` for a `1.17.x` range. */
  version?: string;
  /** A fork's chart: the project's CRDs are not the ones this cluster serves. */
  fork?: string;
  from: string;
}

/** `1.17.1`, `v1.17.x`, `v1.17.*` -> `v1.17.1`, `v1.17`; ranges and templates -> undefined. */
export function releaseVersion(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+|x|\*))?$/.exec(text.trim());
  if (!m) return undefined;
  return m[3] === undefined || m[3] === 'x' || m[3] === '*' ? `v${m[1]}.${m[2]}` : `v${m[1]}.${m[2]}.${m[3]}`;
}

/** Version order of `v1.17` and `v1.17.4` style strings (a missing patch is 0). */
export function compareRelease(a: string, b: string): number {
  const pa = a
    .replace(/^v/, '')
    .split(/[.-]/)
    .map((n) => Number.parseInt(n, 10) || 0);
  const pb = b
    .replace(/^v/, '')
    .split(/[.-]/)
    .map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const GITHUB = /github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?(?:[/?#]|$)/;

/** `owner/repo` and a tag from a kustomization resource URL (remote base, release asset, raw file). */
export function urlRelease(url: string): { repo: string; tag: string } | undefined {
  const download = /github\.com\/([\w.-]+)\/([\w.-]+)\/releases\/download\/([^/]+)\//.exec(url);
  if (download) return { repo: `${download[1]}/${download[2]}`, tag: download[3]! };
  const raw = /raw\.githubusercontent\.com\/([\w.-]+)\/([\w.-]+)\/([^/]+)\//.exec(url);
  if (raw) return { repo: `${raw[1]}/${raw[2]}`, tag: raw[3]! };
  const base = GITHUB.exec(url);
  const ref = /[?&](?:ref|version)=([^&#]+)/.exec(url);
  if (base && ref) return { repo: `${base[1]}/${base[2]}`, tag: ref[1]! };
  return undefined;
}

const field = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (isRecord(v) ? v[k] : undefined), value);

/**
 * What a cluster's objects and kustomizations say about the releases of catalog projects it
 * installs: a HelmRelease's chart and version (`spec.chart.spec`), an OCIRepository's chart and
 * tag, a GitRepository of the project's repository at a tag, a kustomization resource URL of the
 * project at a tag. Several answers: the newest wins (an upgrade under way has both).
 */
export function installedReleases(
  projects: readonly CatalogProject[],
  objects: readonly unknown[],
  kustomizationUrls: readonly { url: string; file: string }[] = [],
): Map<string, InstalledRelease> {
  const out = new Map<string, InstalledRelease>();
  const add = (project: CatalogProject, found: InstalledRelease) => {
    const seen = out.get(project.project);
    if (seen?.fork) return;
    if (found.fork || !seen?.version || (found.version && compareRelease(found.version, seen.version) > 0))
      out.set(project.project, found);
  };
  const byChart = (chart: unknown, version: unknown, from: string) => {
    if (typeof chart !== 'string') return;
    for (const project of projects) {
      if (project.forks.includes(chart)) add(project, { fork: chart, from });
      const v = releaseVersion(version);
      if (v && project.charts.includes(chart)) add(project, { version: v, from });
    }
  };
  const byRepo = (repo: string, tag: unknown, from: string) => {
    const v = releaseVersion(tag);
    if (!v) return;
    for (const project of projects)
      if (project.repos.some((r) => r.toLowerCase() === repo.toLowerCase()))
        add(project, { version: v, from });
  };
  for (const value of objects) {
    if (!isRecord(value) || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') continue;
    const name = `${value.kind} ${String(field(value, 'metadata', 'namespace') ?? '')}/${String(field(value, 'metadata', 'name'))}`;
    const group = value.apiVersion.split('/')[0];
    if (value.kind === 'HelmRelease' && group === 'helm.toolkit.fluxcd.io')
      byChart(
        field(value, 'spec', 'chart', 'spec', 'chart'),
        field(value, 'spec', 'chart', 'spec', 'version'),
        name,
      );
    if (group !== 'source.toolkit.fluxcd.io') continue;
    const url = field(value, 'spec', 'url');
    if (typeof url !== 'string') continue;
    if (value.kind === 'OCIRepository')
      byChart(
        url.split('/').pop(),
        field(value, 'spec', 'ref', 'tag') ?? field(value, 'spec', 'ref', 'semver'),
        name,
      );
    if (value.kind === 'GitRepository') {
      const m = GITHUB.exec(url);
      if (m)
        byRepo(
          `${m[1]}/${m[2]}`,
          field(value, 'spec', 'ref', 'tag') ?? field(value, 'spec', 'ref', 'semver'),
          name,
        );
    }
  }
  for (const { url, file } of kustomizationUrls) {
    const found = urlRelease(url);
    if (found) byRepo(found.repo, found.tag, `${file}: ${url}`);
  }
  return out;
}

/**
 * The catalog release to check a cluster's objects with: the oldest pinned release not older
 * than the one installed (same minor counts as the same), so no field the cluster serves is
 * unknown; the newest when the cluster's is newer than every pinned one or not known.
 */
export function chooseRelease<R extends { version: string }>(
  releases: readonly R[],
  installed: string | undefined,
): R | undefined {
  if (!installed) return releases[0];
  const minor = (v: string) => v.replace(/^v?(\d+\.\d+).*$/, '$1');
  const ascending = [...releases].sort((a, b) => compareRelease(a.version, b.version));
  return (
    ascending.find((r) => minor(r.version) === minor(installed)) ??
    ascending.find((r) => compareRelease(r.version, installed) > 0) ??
    releases[0]
  );
}
