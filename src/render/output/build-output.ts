import { stringify } from 'yaml';
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
 * `fluxgate build` output: the objects as the checks see them, in render order, one YAML document
 * each; Secret values redacted unless `showSecrets`. The same input always prints the same text.
 */
export function formatBuildOutput(
  objects: readonly Record<string, unknown>[],
  options: { showSecrets: boolean },
): string {
  return objects
    .map((o) =>
      stringify(options.showSecrets ? o : redactSecret(o), { lineWidth: 0, aliasDuplicateObjects: false }),
    )
    .map((doc) => `---\n${doc}`)
    .join('');
}
