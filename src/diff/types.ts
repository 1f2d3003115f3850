import type { Diagnostic, ResourceId } from '../core/diagnostic.js';

/** What produces a rendered object: the Flux Kustomization that applies it, and the HelmRelease that renders it. */
export interface Producer {
  kustomization?: { namespace: string; name: string };
  helmRelease?: { namespace: string; name: string };
}

export type ObjectChangeKind = 'added' | 'removed' | 'changed' | 'renamed';

/** One object that differs between the two sides of a cluster. */
export interface ObjectChange {
  change: ObjectChangeKind;
  /** The object as it is after the change (before it, for a removal). */
  id: ResourceId;
  /** A renamed object's name before: kustomize's generated hash suffix changed with its content. */
  previousName?: string;
  producer: Producer;
  /** Unified diff of the rendered object's YAML (noise removed, secrets redacted); '' when only redacted values differ. */
  diff: string;
  /** Only values that are redacted in the output (a Secret's data) differ. */
  redactedOnly?: boolean;
}

/** The findings the change adds and the ones it removes, in one cluster (or none: repository-wide findings). */
export interface FindingChanges {
  added: Diagnostic[];
  removed: Diagnostic[];
}

export interface ClusterDiff {
  name: string;
  /** The cluster is new (only in the head) or gone (only in the base). */
  status: 'changed' | 'unchanged' | 'added' | 'removed';
  objects: ObjectChange[];
  findings: FindingChanges;
  /**
   * What either side could not render (`Kustomization flux-system/apps: reason`): its objects, and
   * so their changes, are not in the comparison.
   */
  notRendered: string[];
}

/** One side of the comparison, as the user named it. */
export interface DiffSide {
  /** `main (merge base)`, `HEAD~1`, `work tree`, `index`. */
  label: string;
  /** The commit, when the side is a commit. */
  commit?: string;
}

export interface DiffResult {
  base: DiffSide;
  head: DiffSide;
  /** Every cluster of either side, by name. */
  clusters: ClusterDiff[];
  /** Findings that belong to no cluster (YAML syntax, config). */
  repository: FindingChanges;
}

/** The clusters a change reaches: an object or a finding differs. */
export function reachedClusters(result: DiffResult): ClusterDiff[] {
  return result.clusters.filter((c) => c.status !== 'unchanged');
}

export function hasDifferences(result: DiffResult): boolean {
  return (
    reachedClusters(result).length > 0 ||
    result.repository.added.length > 0 ||
    result.repository.removed.length > 0
  );
}
