import type { ResourceId } from '../core/diagnostic.js';

/** One object of a rendered cluster, as the cluster-scope checks see it. */
export interface ClusterObject {
  id: ResourceId;
  value: Record<string, unknown>;
  /** The Flux Kustomization that applies it (namespace/name), if any. */
  appliedBy?: { namespace: string; name: string };
}

/** Everything one cluster's rendering produced, plus what the checks need to know about it. */
export interface ClusterView {
  name: string;
  objects: readonly ClusterObject[];
  /**
   * True when something outside Git creates Flux objects in this cluster (a FluxInstance,
   * ResourceSets, the AKS Flux extension): references to what is missing may be satisfied there.
   */
  hasOutsideCreators: boolean;
  /**
   * The Flux sources (`<Kind>/<namespace>/<name>`) that stand for this repository: the one its
   * root Kustomization reconciles exists wherever it was created (bootstrap, a FluxInstance).
   */
  repoSources?: readonly string[];
  /** The spec of each Flux Kustomization the cluster runs (`namespace/name`), roots included. */
  kustomizations?: ReadonlyMap<string, Record<string, unknown>>;
  /**
   * Flux Kustomizations of the cluster that fluxgate did not render (external source, skipped or
   * failed build): what they apply is unknown, so a reference that finds nothing may be satisfied
   * there.
   */
  unrendered?: readonly { namespace: string; name: string; reason: string }[];
  /**
   * Objects written in the files of builds that failed (by `kind/namespace/name`, namespace ''
   * when the file gives none): a reference to one of them is satisfied once the build is fixed.
   */
  inFailedBuilds?: ReadonlyMap<string, string>;
  /** Whether a Flux source (by kind/namespace/name) has `path`; undefined when fluxgate cannot know. */
  pathExists(source: { kind: string; namespace: string; name: string }, path: string): boolean | undefined;
  /** The symlink (`link -> target`) a path goes through, which the source's artifact does not hold. */
  pathLink?(source: { kind: string; namespace: string; name: string }, path: string): string | undefined;
}

/** A finding about one object, at a JSON pointer in it. */
export interface ObjectFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  object: ClusterObject;
  pointer: string;
}

export interface RefCheck {
  id: string;
  check(cluster: ClusterView, index: ObjectIndex): ObjectFinding[];
}

/** Objects by kind/namespace/name, for reference lookups (objects controllers produce included). */
export class ObjectIndex {
  private readonly byKey = new Map<string, ClusterObject>();

  constructor(objects: readonly ClusterObject[], produced: readonly ClusterObject[] = []) {
    for (const o of produced) this.byKey.set(ObjectIndex.key(o.id.kind, o.id.namespace ?? '', o.id.name), o);
    for (const o of objects) this.byKey.set(ObjectIndex.key(o.id.kind, o.id.namespace ?? '', o.id.name), o);
  }

  static key(kind: string, namespace: string, name: string): string {
    return `${kind}/${namespace}/${name}`;
  }

  get(kind: string, namespace: string, name: string): ClusterObject | undefined {
    return this.byKey.get(ObjectIndex.key(kind, namespace, name));
  }

  /** Objects of a kind whose apiVersion belongs to `group` (any version). */
  ofKind(objects: readonly ClusterObject[], group: string, kind: string): ClusterObject[] {
    return objects.filter((o) => o.id.kind === kind && groupOf(o.id.apiVersion) === group);
  }
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * How sure a "not found" can be: an error when the whole cluster was rendered; info (with the
 * Kustomizations that were not) when part of it was not, since the object may be defined there.
 */
export function notFoundSeverity(
  cluster: ClusterView,
  full: 'error' | 'warning' | 'info',
  ref?: { kind: string; namespace: string; name: string },
): { severity: 'error' | 'warning' | 'info'; note: string } {
  const failed =
    ref &&
    (cluster.inFailedBuilds?.get(`${ref.kind}/${ref.namespace}/${ref.name}`) ??
      cluster.inFailedBuilds?.get(`${ref.kind}//${ref.name}`));
  if (failed) return { severity: 'info', note: `; it is written in ${failed}, whose build fails` };
  const unrendered = cluster.unrendered ?? [];
  if (unrendered.length === 0)
    return { severity: cluster.hasOutsideCreators && full !== 'info' ? 'info' : full, note: '' };
  const names = unrendered.slice(0, 3).map((k) => `${k.namespace}/${k.name} (${k.reason})`);
  const more = unrendered.length > 3 ? ` and ${unrendered.length - 3} more` : '';
  return {
    severity: 'info',
    note: `; fluxgate did not render ${unrendered.length === 1 ? 'Kustomization' : `${unrendered.length} Kustomizations`} ${names.join(', ')}${more}, which may define it`,
  };
}
