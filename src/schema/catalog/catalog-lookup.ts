import type { KindSchema } from '../types.js';
import type { Catalog, CatalogHit } from './catalog-index.js';
import { chooseRelease, compareRelease, type InstalledRelease } from './installed-releases.js';

/** Which catalog release checks a kind in a cluster, and why. */
export interface CatalogUse {
  project: string;
  version: string;
  licence: string;
  /** What the cluster's manifests say it installs (none: the newest release is used). */
  installed?: InstalledRelease;
  /** The newest pinned release's schema, when it is not the one used: it tells a newer field. */
  newest?: { version: string; schema: KindSchema };
}

type CatalogResult =
  | { found: KindSchema; tier: 'catalog'; catalog: CatalogUse }
  | { found?: undefined; errors: string[]; fork: InstalledRelease & { project: string } };

/**
 * A kind's schema from the catalog for a cluster: the project the cluster installs, else the
 * first that has the kind; the pinned release closest to the installed one (chooseRelease).
 * A cluster that installs a fork of the project gets no schema from it.
 */
export function catalogLookup(
  catalog: Catalog,
  gvk: string,
  installed: ReadonlyMap<string, InstalledRelease> | undefined,
): CatalogResult | undefined {
  const hits = catalog.releasesOf(gvk);
  if (hits.length === 0) return undefined;
  const projects = [...new Set(hits.map((h) => h.project))];
  const project = projects.find((p) => installed?.has(p.project)) ?? projects[0]!;
  const install = installed?.get(project.project);
  if (install?.fork) return { errors: [], fork: { ...install, project: project.project } };
  const serving = hits.filter((h) => h.project === project);
  const chosen = chooseRelease(
    serving.map((h) => ({ version: h.release.version, hit: h })),
    install?.version,
  )?.hit as CatalogHit;
  const schema = catalog.schema(chosen, gvk);
  if (!schema) return undefined;
  const newestHit = serving[0]!;
  const newest = newestHit !== chosen ? catalog.schema(newestHit, gvk) : undefined;
  return {
    found: schema,
    tier: 'catalog',
    catalog: {
      project: project.project,
      version: chosen.release.version,
      licence: project.licence,
      ...(install ? { installed: install } : {}),
      ...(newest ? { newest: { version: newestHit.release.version, schema: newest } } : {}),
    },
  };
}

/**
 * When a cluster installs a newer minor release than the one its objects are checked with (newer
 * than every pinned one), the schema may lack what that release added (a field, an enum value, a
 * relaxed CEL rule): what it reports is said to be so, as a warning, not an error.
 */
export function newerInstall(use: CatalogUse): string | undefined {
  const installed = use.installed?.version;
  const minor = (v: string) => v.replace(/^v?(\d+\.\d+).*$/, '$1');
  if (!installed || compareRelease(minor(installed), minor(use.version)) <= 0) return undefined;
  return `checked with ${use.project} ${use.version}, older than the ${installed} this cluster installs (${use.installed?.from}), which may accept it`;
}
