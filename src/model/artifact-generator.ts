import type { ResourceId } from '../core/diagnostic.js';

const EXTENSIONS_GROUP = 'source.extensions.fluxcd.io';

/**
 * Whether an ArtifactGenerator (source.extensions.fluxcd.io, Flux's source-watcher) among
 * `objects` produces the ExternalArtifact `namespace/name`: each `spec.artifacts[].name` becomes
 * an ExternalArtifact in the generator's namespace, created in the cluster, not in Git.
 * https://fluxcd.io/flux/components/source/artifactgenerators/
 */
export function generatesArtifact(
  objects: Iterable<{ id: ResourceId; value: Record<string, unknown> }>,
  namespace: string,
  name: string,
): boolean {
  for (const o of objects) {
    if (o.id.kind !== 'ArtifactGenerator' || !o.id.apiVersion.startsWith(`${EXTENSIONS_GROUP}/`)) continue;
    if ((o.id.namespace ?? 'default') !== namespace) continue;
    const artifacts = (o.value.spec as { artifacts?: unknown } | undefined)?.artifacts;
    if (!Array.isArray(artifacts)) continue;
    if (artifacts.some((a) => typeof a === 'object' && a !== null && (a as { name?: unknown }).name === name))
      return true;
  }
  return false;
}
