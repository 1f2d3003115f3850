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
  // Copy on write: a subtree with no null to drop and no default to add is the value itself.
  // Pointers are only needed to name encrypted values: built for SOPS documents only.
  const under = (pointer: string | undefined, segment: string) =>
    pointer === undefined ? undefined : `${pointer}/${escapePointer(segment)}`;
  const copy = (
    v: unknown,
    node: StructuralSchema | undefined,
    pointer: string | undefined,
    root: boolean,
  ): unknown => {
    const s = node && effective(node, resolve);
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const item = copy(v[i], s?.items, under(pointer, String(i)), false);
        if (item === v[i]) continue;
        out ??= [...v];
        out[i] = item;
      }
      return out ?? v;
    }
    if (isRecord(v)) {
      let out: Record<string, unknown> | undefined;
      for (const k in v) {
        const child = v[k];
        if (child === null || (sops && root && k === 'sops')) {
          out ??= { ...v };
          delete out[k];
          continue;
        }
        const prepared = copy(child, s && fieldSchema(s, k), under(pointer, k), false);
        if (prepared === child) continue;
        out ??= { ...v };
        out[k] = prepared;
      }
      if (s)
        for (const [k, child, d] of defaultsOf(s, resolve)) {
          // The server resets `status` on create: a defaulted empty status is never validated.
          if (root && k === 'status') continue;
          if (v[k] !== undefined && v[k] !== null) continue;
          out ??= { ...v };
          out[k] = copy(structuredClone(d), child, under(pointer, k), false);
        }
      return out ?? v;
    }
    if (sops && pointer !== undefined && typeof v === 'string' && ENC.test(v)) encrypted.add(pointer);
    return v;
  };
  return { value: copy(value, schema, sops ? '' : undefined, true), encrypted };
}

/** The properties of a schema node that have a default, worked out once per node. */
function defaultsOf(node: StructuralSchema, resolve: Resolver): [string, StructuralSchema, unknown][] {
  let found = defaulted.get(node);
  if (!found) {
    found = [];
    for (const [k, child] of Object.entries(node.properties ?? {})) {
      const d = effective(child, resolve).default;
      if (d !== undefined) found.push([k, child, d]);
    }
    defaulted.set(node, found);
  }
  return found;
}

const defaulted = new WeakMap<StructuralSchema, [string, StructuralSchema, unknown][]>();

/** True when the pointer is an encrypted value or lies below one. */
export function isEncrypted(pointer: string, encrypted: ReadonlySet<string>): boolean {
  if (encrypted.size === 0) return false;
  for (const p of encrypted) if (pointer === p || pointer.startsWith(`${p}/`)) return true;
  return false;
}
