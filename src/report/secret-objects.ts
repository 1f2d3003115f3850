import type { SecretSet } from '../core/secret-set.js';
import { isRecord } from '../load/resource.js';

export const SECRET_FIELDS = ['data', 'stringData'];

export function isSecret(value: unknown): value is Record<string, unknown> {
  return (
    isRecord(value) &&
    value.kind === 'Secret' &&
    (value.apiVersion === 'v1' || value.apiVersion === undefined)
  );
}

/** One Secret's values: `stringData` as written (numbers too), `data` as written and decoded. */
function addSecret(secrets: SecretSet, secret: Record<string, unknown>): void {
  for (const field of SECRET_FIELDS) {
    const block = secret[field];
    if (!isRecord(block)) continue;
    for (const value of Object.values(block)) {
      // A number is not a valid value, but a schema message quotes it all the same.
      if (typeof value === 'number' || typeof value === 'bigint') secrets.add(value);
      if (typeof value !== 'string') continue;
      secrets.add(value);
      if (field === 'data') secrets.add(Buffer.from(value, 'base64'));
    }
  }
}

/** Adds the values of every Secret among `documents`, and among the items of `kind: List` documents. */
export function addSecretObjects(secrets: SecretSet, documents: Iterable<unknown>): void {
  for (const doc of documents) {
    if (isSecret(doc)) addSecret(secrets, doc);
    else if (isRecord(doc) && Array.isArray(doc.items)) addSecretObjects(secrets, doc.items);
  }
}
