import { type ClusterView, type ObjectFinding, ObjectIndex, type RefCheck } from './cluster-view.js';
import { substituteFromNotFound, valuesFromNotFound } from './config-refs.js';
import { dependsOnCycle, dependsOnNotFound } from './depends-on.js';
import { duplicateOwner } from './duplicate-owner.js';
import { pathNotFound } from './path-not-found.js';
import { producedObjects } from './produced.js';
import { providerNotFound } from './provider-not-found.js';
import { sourceNotFound } from './source-not-found.js';

/** The Flux reference checks, in one explicit list. */
export const REF_CHECKS: readonly RefCheck[] = [
  sourceNotFound,
  dependsOnNotFound,
  dependsOnCycle,
  providerNotFound,
  valuesFromNotFound,
  substituteFromNotFound,
  pathNotFound,
  duplicateOwner,
];

/** Runs every reference check over one rendered cluster. */
export function checkRefs(cluster: ClusterView): ObjectFinding[] {
  const index = new ObjectIndex(cluster.objects, producedObjects(cluster.objects));
  return REF_CHECKS.flatMap((c) => c.check(cluster, index));
}

export type { ClusterObject, ClusterView, ObjectFinding } from './cluster-view.js';
