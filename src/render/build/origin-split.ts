import { isRecord } from '../../load/resource.js';
import { ORIGIN_ANNOTATION } from '../origin/origin-annotation.js';

/**
 * Top-level kustomization fields whose transformers change values only: they never add, remove,
 * rename or reorder objects (kustomize's ImageTagTransformer and ReplicaCountTransformer).
 */
const VALUE_ONLY_FIELDS = ['images', 'replicas'];
/** Below this many entries the cost below is too small to pay for a second build. */
const SPLIT_MIN_ENTRIES = 32;

export interface OriginSplit {
  /** What Flux builds: the kustomization without fluxgate's `buildMetadata`. */
  content: Record<string, unknown>;
  /** The same with `buildMetadata: [originAnnotations]` and without the value-only fields. */
  origins: Record<string, unknown>;
}

/**
 * With any `buildMetadata`, kustomize records every transformer it runs in an annotation of every
 * object, re-reading and re-writing the whole list each time (api/resmap reswrangler.go
 * AddTransformerAnnotation): a kustomization with N `images` entries costs O(N²) per object
 * (1,000 entries: 47 s instead of 1 s). Flux builds without `buildMetadata` unless the user asks
 * for it, so the origins fluxgate adds must not cost that. When the kustomization has many
 * value-only entries and no `buildMetadata` of its own, it is built twice: as Flux builds it, for
 * the content, and without those entries but with origins, for the origin of each object, which
 * the value-only fields cannot change. Undefined: one build with origins is as cheap.
 */
export function originSplit(value: Record<string, unknown>, userOrigins: boolean): OriginSplit | undefined {
  if (userOrigins) return undefined;
  const metadata = Array.isArray(value.buildMetadata) ? value.buildMetadata : [];
  // The user's own buildMetadata: Flux's build records transformers as well.
  if (metadata.some((m) => m !== 'originAnnotations')) return undefined;
  const entries = VALUE_ONLY_FIELDS.reduce((n, f) => n + (Array.isArray(value[f]) ? value[f].length : 0), 0);
  if (entries < SPLIT_MIN_ENTRIES) return undefined;
  const { buildMetadata: _ours, ...content } = value;
  const origins: Record<string, unknown> = { ...value, buildMetadata: ['originAnnotations'] };
  for (const field of VALUE_ONLY_FIELDS) delete origins[field];
  return { content, origins };
}

function identity(object: Record<string, unknown>): string {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  return JSON.stringify([object.apiVersion, object.kind, metadata.namespace, metadata.name]);
}

/**
 * Copies the origin annotation of each object of the origins build onto the object at the same
 * place of the content build. False, and nothing changed, when the two builds do not list the
 * same objects in the same order (then the caller builds once with origins instead).
 */
export function transplantOrigins(
  objects: readonly Record<string, unknown>[],
  withOrigins: readonly Record<string, unknown>[],
): boolean {
  if (objects.length !== withOrigins.length) return false;
  for (const [i, object] of objects.entries())
    if (identity(object) !== identity(withOrigins[i]!)) return false;
  for (const [i, object] of objects.entries()) {
    const from = withOrigins[i]!.metadata;
    const origin =
      isRecord(from) && isRecord(from.annotations) ? from.annotations[ORIGIN_ANNOTATION] : undefined;
    if (typeof origin !== 'string') continue;
    if (!isRecord(object.metadata)) object.metadata = {};
    const metadata = object.metadata as Record<string, unknown>;
    metadata.annotations = {
      ...(isRecord(metadata.annotations) ? metadata.annotations : {}),
      [ORIGIN_ANNOTATION]: origin,
    };
  }
  return true;
}
