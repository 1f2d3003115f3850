import { isRecord } from '../load/resource.js';
import { effective, escapePointer, fieldSchema, type Resolver } from './resolve.js';
import type { StructuralSchema } from './types.js';

/**
 * The object as the API server would validate it, plus what to excuse:
 * - `null` in a mapping means unset (encoding/json leaves the field zero; CRD pruning drops it),
 *   so `creationTimestamp: null` is never a finding. Nulls in lists are kept: they are errors.
 * - defaults are applied first, as the server does before validation and CEL rules, also inside
 *   a defaulted object (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#defaulting).
 * - SOPS: the top-level `sops` metadata is removed and every `ENC[...]` value is unknown
 *   (https://github.com/getsops/sops#encrypted-file-format): findings at those places are dropped.
 */
export interface Prepared {
  value: unknown;
  /** Pointers of SOPS-encrypted values. */
  encrypted: Set<string>;
}

const ENC = /^ENC\[[A-Za-z0-9_]+,data:.*\]$/s;

export function isSopsDocument(value: unknown): boolean {
  return isRecord(value) && isRecord(value.sops) && ('mac' in value.sops || 'lastmodified' in value.sops);
}

export function prepareValue(
  value: unknown,
  schema: StructuralSchema | undefined,
  resolve: Resolver,
): Prepared {
  const encrypted = new Set<string>();
  const sops = isSopsDocument(value);
  const copy = (v: unknown, node: StructuralSchema | undefined, pointer: string): unknown => {
    const s = node && effective(node, resolve);
    if (Array.isArray(v)) return v.map((item, i) => copy(item, s?.items, `${pointer}/${i}`));
    if (isRecord(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, child] of Object.entries(v)) {
        if (child === null || (sops && pointer === '' && k === 'sops')) continue;
        out[k] = copy(child, s && fieldSchema(s, k), `${pointer}/${escapePointer(k)}`);
      }
      for (const [k, child] of Object.entries(s?.properties ?? {})) {
        // The server resets `status` on create: a defaulted empty status is never validated.
        if (pointer === '' && k === 'status') continue;
        const d = effective(child, resolve).default;
        if (!(k in out) && d !== undefined)
          out[k] = copy(structuredClone(d), child, `${pointer}/${escapePointer(k)}`);
      }
      return out;
    }
    if (sops && typeof v === 'string' && ENC.test(v)) encrypted.add(pointer);
    return v;
  };
  return { value: copy(value, schema, ''), encrypted };
}

/** True when the pointer is an encrypted value or lies below one. */
export function isEncrypted(pointer: string, encrypted: ReadonlySet<string>): boolean {
  if (encrypted.size === 0) return false;
  for (const p of encrypted) if (pointer === p || pointer.startsWith(`${p}/`)) return true;
  return false;
}
