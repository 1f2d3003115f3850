import { isRecord } from '../load/resource.js';
import { effective, escapePointer, fieldSchema, type Resolver } from './resolve.js';
import type { CelRule, StructuralSchema } from './types.js';

/** A problem the walker found: list uniqueness (schema/invalid). */
export interface WalkProblem {
  pointer: string;
  message: string;
}

/** A value with CEL rules to evaluate, and its (effective) schema for typing. */
export interface CelSite {
  pointer: string;
  value: unknown;
  schema: StructuralSchema;
  rules: CelRule[];
}

const display = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

/**
 * `x-kubernetes-list-type: set` items are unique; `map` items are unique by their
 * `x-kubernetes-list-map-keys`, as the server checks for server-side apply.
 * https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy
 */
function checkList(list: unknown[], schema: StructuralSchema, pointer: () => string, out: WalkProblem[]) {
  const type = schema['x-kubernetes-list-type'];
  if (type !== 'set' && type !== 'map') return;
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  const seen = new Map<string, number>();
  for (const [i, item] of list.entries()) {
    let id: string;
    let what: string;
    if (type === 'set') {
      id = JSON.stringify(item);
      what = `value ${display(item)}`;
    } else {
      if (!isRecord(item)) continue;
      const tuple = keys.map((k) => item[k]);
      id = JSON.stringify(tuple);
      what = `entry with ${keys.map((k, n) => `${k} ${display(tuple[n])}`).join(', ')}`;
    }
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else out.push({ pointer: `${pointer()}/${i}`, message: `duplicate ${what} (also at index ${first})` });
  }
}

/** One walk over the (prepared) value along its structural schema. */
export function walkStructural(
  value: unknown,
  root: StructuralSchema,
  resolve: Resolver,
): { problems: WalkProblem[]; cel: CelSite[] } {
  const problems: WalkProblem[] = [];
  const cel: CelSite[] = [];
  // The path is kept as segments; a pointer string is only made where something is reported.
  const path: string[] = [];
  const pointer = () => (path.length === 0 ? '' : `/${path.map(escapePointer).join('/')}`);
  const visit = (v: unknown, node: StructuralSchema, depth: number) => {
    if (depth > 64) return;
    const s = effective(node, resolve);
    const rules = s['x-kubernetes-validations'];
    if (rules?.length) cel.push({ pointer: pointer(), value: v, schema: s, rules });
    if (Array.isArray(v)) {
      checkList(v, s, pointer, problems);
      if (s.items)
        for (let i = 0; i < v.length; i++) {
          path.push(String(i));
          visit(v[i], s.items, depth + 1);
          path.pop();
        }
    } else if (isRecord(v)) {
      for (const k in v) {
        const f = fieldSchema(s, k);
        if (!f) continue;
        path.push(k);
        visit(v[k], f, depth + 1);
        path.pop();
      }
    }
  };
  visit(value, root, 0);
  return { problems, cel };
}
