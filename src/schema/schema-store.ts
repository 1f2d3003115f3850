import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fluxBundles, kubernetesBundle, minorOf } from './bundled.js';
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
  debug?: (message: string) => void;
}

export type Lookup = { found: KindSchema } | { found?: undefined; errors: string[] };

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'fluxgate', 'schemas');
}

/**
 * A kind's schema, from (in order) the repository's CRDs, the bundled Kubernetes and Flux
 * schemas, then each schema location (disk cache, then network unless offline).
 */
export class SchemaStore {
  private readonly repo = new Map<string, KindSchema>();
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

  lookup(apiVersion: string, kind: string): Lookup | Promise<Lookup> {
    const key = gvkKey(apiVersion, kind);
    const local = this.repo.get(key) ?? this.bundled.get(key);
    if (local) return { found: local };
    let pending = this.remote.get(key);
    if (!pending) {
      const fallback = this.fallback.get(key);
      pending = this.fromLocations(apiVersion, kind).then((r) =>
        r.found || !fallback ? r : { found: fallback },
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
        };
      } catch (error) {
        errors.push(`${url}: ${(error as Error).message}`);
      }
    }
    return { errors };
  }
}
