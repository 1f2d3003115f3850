import { parsePointer } from '../load/source-map.js';

/** The value at a JSON pointer, or undefined. */
export function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const segment of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (node && typeof node === 'object') node = (node as Record<string, unknown>)[segment];
    else return undefined;
  }
  return node;
}

/** `/spec/containers/0/image` as `spec.containers[0].image`, for messages. */
export function displayPath(pointer: string): string {
  let out = '';
  for (const segment of parsePointer(pointer)) {
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/**
 * A value as a message shows it: its JSON type and, for scalars, the value. A long string is cut
 * short, after `redact` has scrubbed secret values from it: a cut secret would no longer be found.
 */
export function describeValue(value: unknown, redact: (text: string) => string = (t) => t): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') {
    const shown = redact(value);
    return `string ${JSON.stringify(shown.length > 60 ? `${shown.slice(0, 57)}...` : shown)}`;
  }
  if (typeof value === 'number')
    return `${Number.isInteger(value) ? 'integer' : 'number'} ${redact(String(value))}`;
  return `${typeof value} ${String(value)}`;
}
