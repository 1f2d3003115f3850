import { isRecord } from '../load/resource.js';
import type { RenderedResource } from '../render/types.js';
import type { SourceLookup } from '../render/varsub/index.js';

/**
 * `substituteFrom` lookups in a rendered cluster: the ConfigMap or Secret of that name in the Flux
 * Kustomization's namespace, as kustomize-controller reads it from the API server. A source whose
 * data itself depends on unknown values is unknown.
 */
export function clusterLookup(objects: () => Iterable<RenderedResource>, namespace: string): SourceLookup {
  return ({ kind, name }) => {
    let found: RenderedResource | undefined;
    for (const o of objects())
      if (
        o.id.kind === kind &&
        o.id.apiVersion === 'v1' &&
        (o.id.namespace ?? 'default') === namespace &&
        o.id.name === name
      )
        found = o;
    if (!found) return { status: 'not-found' };
    if (found.unknown?.some((p) => p.startsWith('/data') || p.startsWith('/stringData')))
      return { status: 'unknown', reason: 'built from unknown values' };
    return { status: 'found', object: found.value };
  };
}

/** A Flux source object of the cluster (GitRepository, OCIRepository, ...), by kind/namespace/name. */
export function findSource(
  objects: Iterable<RenderedResource>,
  ref: { kind: string; namespace: string; name: string },
): Record<string, unknown> | undefined {
  for (const o of objects)
    if (o.id.kind === ref.kind && (o.id.namespace ?? 'default') === ref.namespace && o.id.name === ref.name)
      return o.value;
  return undefined;
}

export function sourceUrl(source: Record<string, unknown> | undefined): string | undefined {
  const spec = source && isRecord(source.spec) ? source.spec : undefined;
  return spec && typeof spec.url === 'string'
    ? spec.url.replace(/\.git$/, '').replace(/\/+$/, '')
    : undefined;
}

export function sourceIgnore(source: Record<string, unknown> | undefined): string | undefined {
  const spec = source && isRecord(source.spec) ? source.spec : undefined;
  return spec && typeof spec.ignore === 'string' ? spec.ignore : undefined;
}
