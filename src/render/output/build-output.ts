import { stringify } from 'yaml';
import type { SecretSet } from '../../core/secret-set.js';
import { isRecord } from '../../load/resource.js';

export const REDACTED_VALUE = '<redacted>';

/** A Secret (core v1) with every `data` / `stringData` value replaced by the redaction marker. */
export function redactSecret(object: Record<string, unknown>): Record<string, unknown> {
  if (object.kind !== 'Secret' || object.apiVersion !== 'v1') return object;
  const out = { ...object };
  for (const field of ['data', 'stringData']) {
    const block = out[field];
    if (isRecord(block)) out[field] = Object.fromEntries(Object.keys(block).map((k) => [k, REDACTED_VALUE]));
  }
  return out;
}

/**
 * Every string of an object (keys too) scrubbed of secret values: a value substituted from a
 * Secret may land anywhere. Scrubbed before YAML quotes or folds it, so its form does not matter.
 */
export function scrubStrings(value: unknown, secrets: SecretSet): unknown {
  if (typeof value === 'string') return secrets.scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubStrings(v, secrets));
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [secrets.scrub(k), scrubStrings(v, secrets)]),
  );
}

/**
 * `fluxgate build` output: the objects as the checks see them, in render order, one YAML document
 * each; Secret values, and every secret value elsewhere, redacted unless `showSecrets`. The same
 * input always prints the same text.
 */
export function formatBuildOutput(
  objects: readonly Record<string, unknown>[],
  options: { showSecrets: boolean; secrets?: SecretSet },
): string {
  const { secrets } = options;
  const shown = (o: Record<string, unknown>) => {
    if (options.showSecrets) return o;
    const redacted = redactSecret(o);
    return secrets && secrets.size > 0 ? scrubStrings(redacted, secrets) : redacted;
  };
  return objects
    .map((o) => stringify(shown(o), { lineWidth: 0, aliasDuplicateObjects: false }))
    .map((doc) => `---\n${doc}`)
    .join('');
}
