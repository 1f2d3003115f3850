import { isRecord } from '../../load/resource.js';
import { parsePointer } from '../../load/source-map.js';

/** Keys by which strategic merge identifies list items (Kubernetes patchMergeKey values). */
const MERGE_KEYS = ['name', 'mountPath', 'devicePath', 'containerPort', 'port', 'ip', 'topologyKey', 'key'];

function identity(item: unknown): [string, unknown] | undefined {
  if (!isRecord(item)) return undefined;
  for (const key of MERGE_KEYS)
    if (item[key] !== undefined && typeof item[key] !== 'object') return [key, item[key]];
  return undefined;
}

export function pointerOf(segments: readonly string[]): string {
  return segments.map((s) => `/${s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** The value at a pointer, or undefined. */
export function valueAt(value: unknown, pointer: string): unknown {
  let node = value;
  for (const segment of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isRecord(node)) node = Object.hasOwn(node, segment) ? node[segment] : undefined;
    else return undefined;
  }
  return node;
}

/**
 * The pointer in `to` that corresponds to `pointer` in `from`, matching list items by their merge
 * key (`containers/1` in the rendered object may be `containers/0` in the file that defines it).
 * Undefined when `to` lacks the field.
 */
export function translatePointer(from: unknown, to: unknown, pointer: string): string | undefined {
  const out: string[] = [];
  let a = from;
  let b = to;
  for (const segment of parsePointer(pointer)) {
    if (Array.isArray(b)) {
      const item = Array.isArray(a) ? a[Number(segment)] : undefined;
      const id = identity(item);
      const index = id ? b.findIndex((x) => isRecord(x) && x[id[0]] === id[1]) : Number(segment);
      if (!(index >= 0 && index < b.length)) return undefined;
      out.push(String(index));
      a = item;
      b = b[index];
    } else if (isRecord(b) && Object.hasOwn(b, segment)) {
      out.push(segment);
      a = isRecord(a) ? a[segment] : undefined;
      b = b[segment];
    } else return undefined;
  }
  return pointerOf(out);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
