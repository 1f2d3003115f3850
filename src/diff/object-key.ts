import type { ResourceId } from '../core/diagnostic.js';

/**
 * kustomize's name suffix for generated ConfigMaps and Secrets: `-` and the first ten hex digits of
 * a content hash, with 0, 1, 3, a and e replaced by g, h, k, m and t so that the suffix never
 * reads as a word or a number (sigs.k8s.io/kustomize/api/hasher, `encode`).
 */
const HASH_SUFFIX = /-[2456789bcdfghkmt]{10}$/;

/** An object's name without its generated hash suffix; the name as is for other kinds. */
export function stableName(id: ResourceId): string {
  if (id.apiVersion !== 'v1' || (id.kind !== 'ConfigMap' && id.kind !== 'Secret')) return id.name;
  return id.name.replace(HASH_SUFFIX, '');
}

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → ''): a version change is a change, not a new object. */
function group(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** What makes two objects of a cluster "the same object" across commits, as the API server sees it. */
export function objectKey(id: ResourceId, name = id.name): string {
  return [group(id.apiVersion), id.kind, id.namespace ?? '', name].join('\u0000');
}

/** `Kind namespace/name`, or `Kind name` for a cluster-scoped object. */
export function displayId(id: ResourceId, name = id.name): string {
  return `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${name}`;
}
