import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fluxBundles, kubernetesBundle, minorOf } from './bundled.js';
import { Catalog } from './catalog/catalog-index.js';
import { type CatalogUse, catalogLookup } from './catalog/catalog-lookup.js';
import type { InstalledRelease } from './catalog/installed-releases.js';
import { type FetcherOptions, SchemaFetcher } from './remote/fetcher.js';
import { expandLocation, type Location, parseLocation } from './remote/location.js';
import { type CrdSource, crdSchemas } from './repo-crds.js';
import { gvkKey, type KindSchema, type StructuralSchema } from './types.js';

export interface SchemaStoreOptions {
  /** Repository root: relative local schema locations are resolved from it. */
  root: string;
  /** Kubernetes version ("1.37" or "v1.37.2"); default: the newest bundled. */
  kubernetesVersion?: string;
  /** kubeconform-style locations (config `schemaLocations`, `--schema-location`). */
  locations?: readonly string[];
  offline?: boolean;
  /** Default: `$XDG_CACHE_HOME/fluxgate/schemas`. */
  cacheDir?: string;
  /** Where bundled schemas are (tests). Default: the package's schemas/. */
  bundleDir?: string;
  fetch?: Omit<FetcherOptions, 'cacheDir' | 'offline'>;
  /** The catalog of custom resource schemas (default: the package's schemas/catalog/); false: none. */
  catalog?: Catalog | false;
  /** The catalog projects' releases each cluster installs, as its manifests say (none: the newest). */
  installedOf?: (cluster: string | undefined) => ReadonlyMap<string, InstalledRelease> | undefined;
  debug?: (message: string) => void;
}

/** Where a kind's schema comes from, in the order they are tried. */
export type SchemaTier = 'repository' | 'chart' | 'bundled' | 'catalog' | 'location';

export type Lookup =
  | { found: KindSchema; tier: SchemaTier; catalog?: CatalogUse }
  | { found?: undefined; errors: string[]; fork?: InstalledRelease & { project: string } };

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'fluxgate', 'schemas');
}

/**
 * A kind's schema, from (in order) the repository's CRDs, the CRDs the cluster's charts install,
 * the bundled Kubernetes and Flux schemas, the catalog (the release the cluster installs, else
 * the newest), then each schema location (disk cache, then network unless offline).
 */
export class SchemaStore {
  private readonly repo = new Map<string, KindSchema>();
  /** Per cluster (`''`: outside clusters): CRDs that its HelmReleases' charts install. */
  private readonly charts = new Map<string, Map<string, KindSchema>>();
  private readonly catalog: Catalog | undefined;
  private readonly installedOf: SchemaStoreOptions['installedOf'];
  private readonly fromCatalog = new Map<string, Lookup | undefined>();
  private readonly debug: ((message: string) => void) | undefined;
  private readonly bundled = new Map<string, KindSchema>();
  private readonly fallback = new Map<string, KindSchema>();
  private readonly locations: Location[];
  private readonly fetcher: SchemaFetcher;
  private readonly remote = new Map<string, Promise<Lookup>>();
  readonly kubernetesVersion: string | undefined;

  constructor(options: SchemaStoreOptions) {
    const kubernetes = kubernetesBundle(options.kubernetesVersion, options.bundleDir);
    this.kubernetesVersion = options.kubernetesVersion ?? kubernetes?.version;
    this.locations = (options.locations ?? []).map((l) => parseLocation(l, options.root));
    // A Kubernetes version that is not bundled is fetched from the locations when there are
    // any; the newest bundled schemas remain the fallback.
    const exact =
      !options.kubernetesVersion || minorOf(kubernetes?.version ?? '') === minorOf(options.kubernetesVersion);
    const preferRemote = !exact && this.locations.length > 0;
    for (const [key, kind] of kubernetes?.kinds ?? [])
      (preferRemote ? this.fallback : this.bundled).set(key, kind);
    for (const bundle of fluxBundles(options.bundleDir))
      for (const [key, kind] of bundle.kinds) this.bundled.set(key, kind);
    this.catalog = options.catalog === false ? undefined : (options.catalog ?? new Catalog());
    this.installedOf = options.installedOf;
    this.debug = options.debug;
    this.fetcher = new SchemaFetcher({
      ...options.fetch,
      cacheDir: options.cacheDir ?? defaultCacheDir(),
      offline: options.offline ?? false,
      ...(options.debug ? { debug: options.debug } : {}),
    });
  }

  addCrds(crds: readonly CrdSource[]): void {
    for (const [key, kind] of crdSchemas(crds)) if (!this.repo.has(key)) this.repo.set(key, kind);
  }

  /**
   * The hook for rendered charts (HelmRelease rendering): the CRDs a chart installs in a cluster
   * (its `crds/` and templated CRDs). They come after the repository's CRDs and before the
   * bundled and catalog schemas: they are what that cluster serves.
   */
  addChartCrds(cluster: string | undefined, crds: readonly CrdSource[]): void {
    const map = this.charts.get(cluster ?? '') ?? new Map<string, KindSchema>();
    this.charts.set(cluster ?? '', map);
    for (const [key, kind] of crdSchemas(crds)) if (!map.has(key)) map.set(key, kind);
  }

  lookup(apiVersion: string, kind: string, cluster?: string): Lookup | Promise<Lookup> {
    const key = gvkKey(apiVersion, kind);
    const repo = this.repo.get(key);
    if (repo) return { found: repo, tier: 'repository' };
    const chart = this.charts.get(cluster ?? '')?.get(key);
    if (chart) return { found: chart, tier: 'chart' };
    const bundled = this.bundled.get(key);
    if (bundled) return { found: bundled, tier: 'bundled' };
    const catalog = this.catalogLookup(key, cluster);
    if (catalog?.found) return catalog;
    const fork = catalog && !catalog.found ? catalog.fork : undefined;
    const remote = this.remoteLookup(apiVersion, kind, key);
    return fork ? Promise.resolve(remote).then((r) => (r.found ? r : { ...r, fork })) : remote;
  }

  /**
   * For a kind with no schema: the catalog's releases that serve its group's kind at other
   * versions, as a clause of the finding (`prometheus-operator v0.94.0 serves it as v1alpha1`).
   */
  servedAtOtherVersions(apiVersion: string, kind: string): string | undefined {
    const slash = apiVersion.indexOf('/');
    if (!this.catalog || slash < 0) return undefined;
    const group = apiVersion.slice(0, slash);
    const hits = this.catalog.otherVersions(group, kind);
    if (hits.length === 0) return undefined;
    const releases = hits.map(
      (h) => `${h.project} ${h.release} serves it as ${h.versions.map((v) => `${group}/${v}`).join(', ')}`,
    );
    return `no release in fluxgate's catalog serves ${apiVersion} ${kind} (${releases.join('; ')})`;
  }

  private catalogLookup(key: string, cluster: string | undefined): Lookup | undefined {
    if (!this.catalog) return undefined;
    const memo = `${cluster ?? ''}\n${key}`;
    if (this.fromCatalog.has(memo)) return this.fromCatalog.get(memo);
    const installed = this.installedOf?.(cluster);
    const result = catalogLookup(this.catalog, key, installed);
    if (result && this.debug) {
      const where = cluster ? `cluster ${cluster}` : 'outside clusters';
      if (result.found) {
        const use = result.catalog!;
        const why = use.installed?.version
          ? `it installs ${use.installed.version} (${use.installed.from})`
          : 'the repository does not say which release it installs: the newest';
        this.debug(`schema: ${key}, ${where}: catalog ${use.project} ${use.version}; ${why}`);
      } else if (result.fork)
        this.debug(
          `schema: ${key}, ${where}: not from the catalog: ${result.fork.project} is installed from the fork ${result.fork.fork} (${result.fork.from})`,
        );
    }
    this.fromCatalog.set(memo, result);
    return result;
  }

  private remoteLookup(apiVersion: string, kind: string, key: string): Promise<Lookup> {
    let pending = this.remote.get(key);
    if (!pending) {
      const fallback = this.fallback.get(key);
      pending = this.fromLocations(apiVersion, kind).then((r) =>
        r.found || !fallback ? r : { found: fallback, tier: 'bundled' as const },
      );
      this.remote.set(key, pending);
    }
    return pending;
  }

  private async fromLocations(apiVersion: string, kind: string): Promise<Lookup> {
    const errors: string[] = [];
    const version = this.kubernetesVersion?.replace(/^v/, '');
    for (const location of this.locations) {
      const url = expandLocation(location.template, apiVersion, kind, version);
      if (!location.remote && !existsSync(path.dirname(url))) continue;
      const result = await this.fetcher.get(url);
      if (result.status === 'not-found') continue;
      if (result.status === 'error') {
        errors.push(result.message);
        continue;
      }
      try {
        const schema = JSON.parse(result.body) as StructuralSchema;
        return {
          found: {
            set: { id: `url/${url}`, origin: url, dialect: 'json-schema', definitions: { root: schema } },
            ref: 'root',
          },
          tier: 'location',
        };
      } catch (error) {
        errors.push(`${url}: ${(error as Error).message}`);
      }
    }
    return { errors };
  }
}
