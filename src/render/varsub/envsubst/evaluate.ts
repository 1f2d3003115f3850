// Evaluation as fluxcd/pkg envsubst v1.7.0 `template.go` does it: arguments first (so a nested
// `${b}` in `${a:-${b}}` is read, and fails in strict mode, even when `a` is set), then the variable.
// In strict mode a variable the mapping does not define fails unless the operator provides a default
// (isDefaultOp); Go stops at the first failure, here every failure is collected in evaluation order, so
// the first one is the one Flux reports. Output bytes carry the input offset they came from.
import { concatBytes, encodeUtf8 } from '../utf8.js';
import { isDefaultOp, lookupFunc } from './functions.js';
import type { FuncNode, Node } from './nodes.js';

export type Lookup = (name: string) => { value: string; exists: boolean };

export interface UndefinedReference {
  name: string;
  /** Input byte offset of the `${`. */
  offset: number;
}

/** One top-level `${...}` (or `$$` escape) and what replaced it, in byte offsets. */
export interface ByteReplacement {
  inStart: number;
  inEnd: number;
  outStart: number;
  outEnd: number;
  /** Variables the expression read, outermost first; empty for an escape. */
  vars: string[];
}

export interface Evaluation {
  bytes: Uint8Array;
  /** Input byte offset of each output byte (the `${` offset for substituted bytes). */
  origins: Int32Array;
  undefinedRefs: UndefinedReference[];
  replacements: ByteReplacement[];
}

export function evaluate(nodes: readonly Node[], lookup: Lookup, strict: boolean): Evaluation {
  const parts: Uint8Array[] = [];
  const originParts: Int32Array[] = [];
  const undefinedRefs: UndefinedReference[] = [];
  const replacements: ByteReplacement[] = [];
  let out = 0;
  let expected = 0;
  for (const node of nodes) {
    if (node.kind === 'text') {
      // A gap in the origins is a `$` the scanner removed from a `$$` escape.
      for (let k = 0; k < node.origins.length; k++) {
        const origin = node.origins[k]!;
        if (origin > expected) {
          replacements.push({
            inStart: expected,
            inEnd: origin + 1,
            outStart: out + k,
            outEnd: out + k + 1,
            vars: [],
          });
        }
        expected = origin + 1;
      }
      parts.push(node.bytes);
      originParts.push(node.origins);
      out += node.bytes.length;
      continue;
    }
    const value = evalFunc(node, lookup, strict, undefinedRefs);
    parts.push(value);
    originParts.push(new Int32Array(value.length).fill(node.start));
    replacements.push({
      inStart: node.start,
      inEnd: node.end,
      outStart: out,
      outEnd: out + value.length,
      vars: varsOf(node),
    });
    out += value.length;
    expected = node.end;
  }
  const origins = new Int32Array(out);
  let at = 0;
  for (const part of originParts) {
    origins.set(part, at);
    at += part.length;
  }
  return { bytes: concatBytes(parts), origins, undefinedRefs, replacements };
}

function evalFunc(
  node: FuncNode,
  lookup: Lookup,
  strict: boolean,
  undefinedRefs: UndefinedReference[],
): Uint8Array {
  const args = node.args.map(
    (arg): Uint8Array => (arg.kind === 'text' ? arg.bytes : evalFunc(arg, lookup, strict, undefinedRefs)),
  );
  const { value, exists } = strict ? lookup(node.param) : { value: lookup(node.param).value, exists: true };
  if (!exists && !isDefaultOp(node.name)) undefinedRefs.push({ name: node.param, offset: node.start });
  return lookupFunc(node.name, args.length)(encodeUtf8(value), args);
}

function varsOf(node: FuncNode): string[] {
  const names = [node.param];
  for (const arg of node.args) if (arg.kind === 'func') names.push(...varsOf(arg));
  return [...new Set(names)];
}
