import { stringify } from 'yaml';
import type { SecretSet } from '../core/secret-set.js';
import { isRecord } from '../load/resource.js';
import { redactSecret, scrubStrings } from '../render/output/build-output.js';

/**
 * Metadata a reviewer does not act on: fluxgate's own annotations (suppressions), and what
 * kustomize's build tooling leaves (origins, internal ids) if any is left in the render.
 */
const NOISE = [/^fluxgate\.io\//, /^config\.kubernetes\.io\/origin$/, /^internal\.config\.kubernetes\.io\//];

function withoutNoise(map: unknown): Record<string, unknown> | undefined {
  if (!isRecord(map)) return undefined;
  const kept = Object.entries(map).filter(([key]) => !NOISE.some((re) => re.test(key)));
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

/** The object without fluxgate's and kustomize's bookkeeping labels and annotations. */
function stripNoise(object: Record<string, unknown>): Record<string, unknown> {
  const metadata = object.metadata;
  if (!isRecord(metadata)) return object;
  const { annotations, labels, ...rest } = metadata;
  const keptAnnotations = withoutNoise(annotations);
  const keptLabels = withoutNoise(labels);
  return {
    ...object,
    metadata: {
      ...rest,
      ...(keptAnnotations ? { annotations: keptAnnotations } : {}),
      ...(keptLabels ? { labels: keptLabels } : {}),
    },
  };
}

/** Keys sorted at every level (arrays keep their order: it means something), so only content differs. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys(value[k])]),
  );
}

/** The object as compared: noise removed, keys sorted; secrets still in (see `shownText`). */
export function comparable(object: Record<string, unknown>): Record<string, unknown> {
  return sortKeys(stripNoise(object)) as Record<string, unknown>;
}

/** The YAML a diff shows: Secret values and every learned secret value redacted, as `fluxgate build` prints them. */
export function shownText(object: Record<string, unknown>, secrets: SecretSet): string {
  const redacted = redactSecret(object);
  const scrubbed = secrets.size > 0 ? scrubStrings(redacted, secrets) : redacted;
  return stringify(scrubbed, { lineWidth: 0, aliasDuplicateObjects: false });
}
