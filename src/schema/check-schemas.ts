import type { ResourceId, Severity } from '../core/diagnostic.js';
import type { PendingFinding } from '../core/pending.js';
import type { SchemaProblem } from './ajv-problems.js';
import { fluxApiStatus, fluxServes, kubernetesApiStatus, newestFluxRelease } from './api-versions.js';
import { type CatalogUse, newerInstall } from './catalog/catalog-lookup.js';
import { SchemaCompiler } from './compiler.js';
import type { Lookup, SchemaStore } from './schema-store.js';
import { gvkKey } from './types.js';
import { validateObject } from './validate-object.js';

/** One Kubernetes object to validate, and where its document is. */
export interface SchemaTarget {
  file: string;
  docIndex: number;
  value: unknown;
  id: ResourceId;
  cluster?: string;
  /**
   * Where a pointer of `value` is written, for rendered objects (the render stage's
   * mapToSource). Default: this file and document, the same pointer.
   */
  place?: (pointer: string) => { file: string; docIndex: number; pointer: string };
  /** Pointers whose values fluxgate cannot know (SOPS, variables from outside Git): excused. */
  unknown?: readonly string[];
}

export interface CheckSchemasOptions {
  store: SchemaStore;
  /** Flux release ("2.9", "v2.9.4") for the API version table; default: the newest. */
  fluxVersion?: string;
  /** The Flux release of each cluster (detected or configured), before `fluxVersion`. */
  fluxVersionOf?: (cluster: string | undefined) => string | undefined;
  /** A kind with no schema is an error instead of a warning (`--require-schemas`). */
  requireSchemas?: boolean;
  /** Reuse a compiler across calls (one per run). */
  compiler?: SchemaCompiler;
  /** Scrubs secret values from a value a message quotes, before it is cut short. */
  redact?: (text: string) => string;
}

function finding(
  target: SchemaTarget,
  ruleId: string,
  severity: Severity,
  message: string,
  pointer: string,
  atKey = false,
): PendingFinding {
  const at = target.place?.(pointer) ?? { file: target.file, docIndex: target.docIndex, pointer };
  return {
    ruleId,
    severity,
    message,
    file: at.file,
    docIndex: at.docIndex,
    pointer: at.pointer,
    ...(atKey ? { atKey } : {}),
    resource: target.id,
    ...(target.cluster ? { cluster: target.cluster } : {}),
    source: 'schema',
  };
}

/**
 * Schema findings for a set of objects: removed and deprecated API versions, then each
 * object against its kind's schema; a kind without a schema is one `schema/missing` per kind.
 */
export async function checkSchemas(
  targets: readonly SchemaTarget[],
  options: CheckSchemasOptions,
): Promise<PendingFinding[]> {
  const { store } = options;
  const compiler = options.compiler ?? new SchemaCompiler();
  const flux = options.fluxVersion ?? newestFluxRelease() ?? '2.9';
  const kubernetes = store.kubernetesVersion ?? '1.99';
  const out: PendingFinding[] = [];
  // Per cluster: the catalog release that checks a kind follows what the cluster installs.
  const lookupKey = (t: SchemaTarget) => `${t.cluster ?? ''}\n${gvkKey(t.id.apiVersion, t.id.kind)}`;
  const lookups = new Map<string, Lookup>();
  await Promise.all(
    targets.map(async (t) => {
      const key = lookupKey(t);
      if (!lookups.has(key)) lookups.set(key, await store.lookup(t.id.apiVersion, t.id.kind, t.cluster));
    }),
  );
  // One finding per kind and cluster, on its first object, counting the others.
  const missing = new Map<string, { first: SchemaTarget; count: number; lookup: Lookup }>();
  const olderFlux = new Map<string, { first: SchemaTarget; count: number; release: string }>();
  for (const target of targets) {
    const { apiVersion, kind } = target.id;
    const clusterFlux = options.fluxVersionOf?.(target.cluster) ?? flux;
    const status =
      fluxApiStatus(apiVersion, kind, clusterFlux) ?? kubernetesApiStatus(apiVersion, kind, kubernetes);
    if (status?.status === 'removed') {
      out.push(finding(target, 'schema/removed-api', 'error', status.message, '/apiVersion'));
      continue;
    }
    if (status) out.push(finding(target, 'schema/deprecated-api', 'warning', status.message, '/apiVersion'));
    const lookup = lookups.get(lookupKey(target))!;
    if (!lookup.found) {
      // A deprecated version's finding already says what to do; no bare "no schema".
      if (status) continue;
      // A Flux API that this cluster's (older) Flux serves: fluxgate bundles the newest release's.
      const group = fluxServes(apiVersion, kind, clusterFlux) ? olderFlux : missing;
      const entry = group.get(lookupKey(target));
      if (entry) entry.count++;
      else if (group === olderFlux)
        olderFlux.set(lookupKey(target), { first: target, count: 1, release: clusterFlux });
      else missing.set(lookupKey(target), { first: target, count: 1, lookup });
      continue;
    }
    let problems: ReturnType<typeof validateObject>;
    try {
      problems = validateObject(target.value, lookup.found, compiler, target.unknown, options.redact);
    } catch (error) {
      const message = `the schema of ${apiVersion} ${kind} (${lookup.found.set.origin}) cannot be used: ${(error as Error).message}`;
      out.push(
        finding(target, 'schema/missing', options.requireSchemas ? 'error' : 'warning', message, '/kind'),
      );
      continue;
    }
    const newer = lookup.catalog ? newerFields(target, lookup.catalog, problems, compiler) : undefined;
    const stale = lookup.catalog ? newerInstall(lookup.catalog) : undefined;
    for (const p of problems) {
      const message = stale ? `${p.message}; ${stale}` : (newer?.(p) ?? p.message);
      out.push(finding(target, p.ruleId, stale ? 'warning' : 'error', message, p.pointer, p.atKey));
    }
  }
  for (const [, { first, count, release }] of olderFlux) {
    const others = count > 1 ? ` (${count} objects of this kind)` : '';
    const message = `${first.id.apiVersion} ${first.id.kind} is served by Flux ${release}, whose schemas fluxgate does not bundle (it bundles Flux ${newestFluxRelease() ?? '2.9'}'s): not validated${others}`;
    out.push(finding(first, 'schema/missing', 'info', message, '/apiVersion'));
  }
  for (const [, { first, count, lookup }] of missing) {
    out.push(
      finding(
        first,
        'schema/missing',
        options.requireSchemas ? 'error' : 'warning',
        missingMessage(first, count, lookup, store.servedAtOtherVersions(first.id.apiVersion, first.id.kind)),
        '/kind',
      ),
    );
  }
  return out;
}

function missingMessage(first: SchemaTarget, count: number, lookup: Lookup, elsewhere?: string): string {
  const { apiVersion, kind } = first.id;
  const others = count > 1 ? ` (${count} objects of this kind are not validated)` : '';
  const errors = lookup.found ? [] : lookup.errors;
  const why = errors.length > 0 ? `; schema locations failed: ${errors.join('; ')}` : '';
  const fork = lookup.found ? undefined : lookup.fork;
  const known = fork
    ? `; fluxgate's catalog has ${fork.project}'s, but this cluster installs the fork ${fork.fork} (${fork.from})`
    : '';
  // A version no pinned release serves: likely a wrong apiVersion, which the API server refuses.
  const versions = !fork && elsewhere ? `; ${elsewhere}` : '';
  return `no schema for ${apiVersion} ${kind}${others}${known}${versions}: add its CustomResourceDefinition to the repository (a CRD file a kustomization lists) or a schemaLocations entry to .fluxgate.yaml${why}`;
}

/**
 * A field the cluster's release of a catalog project does not have but its newest pinned
 * release does: the finding says so (the field arrives with an upgrade), instead of only
 * "unknown field".
 */
function newerFields(
  target: SchemaTarget,
  use: CatalogUse,
  problems: readonly SchemaProblem[],
  compiler: SchemaCompiler,
): ((p: SchemaProblem) => string | undefined) | undefined {
  const newest = use.newest;
  if (!newest || !problems.some((p) => p.ruleId === 'schema/unknown-field')) return undefined;
  let known: Set<string>;
  try {
    known = new Set(
      validateObject(target.value, newest.schema, compiler, target.unknown)
        .filter((p) => p.ruleId === 'schema/unknown-field')
        .map((p) => p.pointer),
    );
  } catch {
    return undefined;
  }
  const installs = use.installed?.version
    ? `this cluster installs ${use.installed.version} (${use.installed.from})`
    : `fluxgate checks with ${use.version}`;
  return (p) =>
    p.ruleId === 'schema/unknown-field' && !known.has(p.pointer)
      ? `${p.message}: only ${use.project} ${newest.version} has it, ${installs}; checked with ${use.project} ${use.version}`
      : undefined;
}
