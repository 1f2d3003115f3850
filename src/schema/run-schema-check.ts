import type { Config } from '../config/config.js';
import type { PendingFinding } from '../core/pending.js';
import type { SourceFile } from '../load/resource.js';
import type { Catalog } from './catalog/catalog-index.js';
import type { InstalledRelease } from './catalog/installed-releases.js';
import { checkSchemas, type SchemaTarget } from './check-schemas.js';
import { SchemaCompiler } from './compiler.js';
import type { CrdSource } from './repo-crds.js';
import { detectFluxVersion, repoSchemaTargets } from './repo-targets.js';
import { SchemaStore } from './schema-store.js';

/** Schema options from flags (the CLI) that override the config. */
export interface SchemaRunOptions {
  /** `--schema-location`, tried before the config's `schemaLocations`. */
  schemaLocations?: readonly string[];
  offline?: boolean;
  requireSchemas?: boolean;
  kubernetesVersion?: string;
  fluxVersion?: string;
  /** Each cluster's Flux release (config, else detected from its manifests); `fluxVersion` wins. */
  fluxVersionOf?: (cluster: string | undefined) => string | undefined;
  /** Default `$XDG_CACHE_HOME/fluxgate/schemas`. */
  schemaCacheDir?: string;
  /** Where compiled validators are cached (fluxgate's cache directory/validators); none by default. */
  validatorCacheDir?: string;
  /** Bundled schemas directory (tests); default: the package's schemas/. */
  bundleDir?: string;
  /** Scrubs secret values from a value a message quotes, before it is cut short. */
  redact?: (text: string) => string;
}

export interface SchemaCheckInput {
  /** The objects to validate (rendered ones carry `place` and `unknown`). */
  targets: readonly SchemaTarget[];
  /** Every CustomResourceDefinition of the run (loaded or rendered): their schemas come first. */
  crds: readonly CrdSource[];
  /**
   * CRDs that a cluster's charts install (HelmRelease rendering, when it exists): after the
   * repository's CRDs, before the bundled and catalog schemas.
   */
  chartCrds?: readonly (CrdSource & { cluster?: string | undefined })[];
  /** The catalog (default: the package's); false: none (`--no-catalog`-like runs and tests). */
  catalog?: Catalog | false;
  /** The catalog projects' releases each cluster installs (catalogInstalls). */
  installedOf?: (cluster: string | undefined) => ReadonlyMap<string, InstalledRelease> | undefined;
  root: string;
  config: Config;
  options?: SchemaRunOptions;
  debug?: ((message: string) => void) | undefined;
}

/** The one value all clusters agree on, if they do. */
function agreed(config: Config, field: 'kubernetesVersion' | 'fluxVersion'): string | undefined {
  const values = new Set(Object.values(config.clusters).flatMap((c) => (c[field] ? [c[field]] : [])));
  return values.size === 1 ? [...values][0] : undefined;
}

/** The schema check over any set of objects: the render stage calls it with rendered objects. */
export async function schemaCheck(input: SchemaCheckInput): Promise<PendingFinding[]> {
  const { targets, crds, root, config, debug } = input;
  const options = input.options ?? {};
  const kubernetesVersion = options.kubernetesVersion ?? agreed(config, 'kubernetesVersion');
  const store = new SchemaStore({
    root,
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
    locations: [...(options.schemaLocations ?? []), ...config.schemaLocations],
    offline: options.offline === true || config.network.schemas === false,
    ...(options.schemaCacheDir ? { cacheDir: options.schemaCacheDir } : {}),
    ...(options.bundleDir ? { bundleDir: options.bundleDir } : {}),
    ...(input.catalog !== undefined ? { catalog: input.catalog } : {}),
    ...(input.installedOf ? { installedOf: input.installedOf } : {}),
    ...(debug ? { debug } : {}),
  });
  store.addCrds(crds);
  const byCluster = new Map<string | undefined, CrdSource[]>();
  for (const { cluster, ...crd } of input.chartCrds ?? [])
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), crd]);
  for (const [cluster, list] of byCluster) store.addChartCrds(cluster, list);
  const fluxVersion = options.fluxVersion ?? agreed(config, 'fluxVersion');
  debug?.(`schema: ${targets.length} objects, ${crds.length} CRDs, Flux ${fluxVersion ?? 'newest'}`);
  return checkSchemas(targets, {
    store,
    ...(options.validatorCacheDir
      ? { compiler: new SchemaCompiler({ cacheDir: options.validatorCacheDir }) }
      : {}),
    ...(fluxVersion ? { fluxVersion } : {}),
    ...(options.fluxVersionOf && !options.fluxVersion ? { fluxVersionOf: options.fluxVersionOf } : {}),
    ...(options.requireSchemas ? { requireSchemas: true } : {}),
    ...(options.redact ? { redact: options.redact } : {}),
  });
}

/**
 * The schema check over the loaded repository, every object as it stands (validate.ts calls it
 * until rendered objects replace them).
 */
export function runSchemaCheck(
  files: ReadonlyMap<string, SourceFile>,
  root: string,
  config: Config,
  options: SchemaRunOptions = {},
  debug?: (message: string) => void,
): Promise<PendingFinding[]> {
  const { targets, crds } = repoSchemaTargets(files, root);
  const fluxVersion =
    options.fluxVersion ?? agreed(config, 'fluxVersion') ?? detectFluxVersion(files.values());
  return schemaCheck({
    targets,
    crds,
    root,
    config,
    options: { ...options, ...(fluxVersion ? { fluxVersion } : {}) },
    debug,
  });
}
