import { evaluate, type Lookup } from './envsubst/evaluate.js';
import { GoPanicError } from './envsubst/functions.js';
import { EnvsubstSyntaxError, type FuncNode, type Node } from './envsubst/nodes.js';
import { parseTemplate } from './envsubst/parse.js';
import type { SubstituteOptions, SubstituteResult, Vars } from './types.js';
import { byteToUtf16Table, decodeUtf8, encodeUtf8, isValidUtf8 } from './utf8.js';

/**
 * Substitutes `${...}` expressions in `text` as Flux's post-build substitution does (fluxcd/pkg
 * kustomize `varSubstitution`, which calls fluxcd/pkg envsubst `Eval` with a mapping that, in strict
 * mode, reports a variable as missing unless `vars` has it; an empty string is defined).
 * `$var` without braces is never substituted and `$${var}` yields the literal `${var}`.
 */
export function substitute(text: string, vars: Vars, options: SubstituteOptions): SubstituteResult {
  return substituteMapped(text, vars, options).result;
}

export interface MappedSubstitution {
  result: SubstituteResult;
  /** Maps a UTF-16 index of the output to the input index it came from (a `${` for substituted text). */
  toInput(outputOffset: number): number;
}

/** substitute(), plus the output-to-input offset map that provenance needs. */
export function substituteMapped(text: string, vars: Vars, options: SubstituteOptions): MappedSubstitution {
  const identity = (offset: number): number => offset;
  const input = encodeUtf8(text);
  const inTable = byteToUtf16Table(text);
  let nodes: Node[];
  try {
    nodes = parseTemplate(input);
  } catch (error) {
    if (!(error instanceof EnvsubstSyntaxError)) throw error;
    const syntaxError = { message: error.message, offset: inTable[error.offset]! };
    return { result: { output: text, undefinedVars: [], replacements: [], syntaxError }, toInput: identity };
  }
  const lookup: Lookup = (name) =>
    Object.hasOwn(vars, name) && typeof vars[name] === 'string'
      ? { value: vars[name], exists: true }
      : { value: '', exists: false };
  let result: ReturnType<typeof evaluate>;
  try {
    result = evaluate(nodes, lookup, options.strict);
  } catch (error) {
    if (!(error instanceof GoPanicError)) throw error;
    const offset = inTable[panicOffset(nodes, lookup, options.strict)] ?? 0;
    const panic = { message: error.message, offset };
    return { result: { output: text, undefinedVars: [], replacements: [], panic }, toInput: identity };
  }
  const output = decodeUtf8(result.bytes);
  const outTable = byteToUtf16Table(output);
  const toOut = (byte: number): number => outTable[Math.min(byte, outTable.length - 1)]!;
  const outBytes = utf16ToByteTable(output);
  const toInput = (offset: number): number => {
    const byte = outBytes[Math.max(0, Math.min(offset, outBytes.length - 1))]!;
    return byte < result.origins.length ? inTable[result.origins[byte]!]! : text.length;
  };
  const substituted: SubstituteResult = {
    output,
    undefinedVars: result.undefinedRefs.map((ref) => ({ name: ref.name, offset: inTable[ref.offset]! })),
    replacements: result.replacements.map((r) => ({
      inputStart: inTable[r.inStart]!,
      inputEnd: inTable[r.inEnd]!,
      outputStart: toOut(r.outStart),
      outputEnd: toOut(r.outEnd),
      vars: r.vars,
    })),
    ...(isValidUtf8(result.bytes) ? {} : { invalidUtf8: true }),
  };
  return { result: substituted, toInput };
}

/** For each UTF-16 index of `text` (0..length), the UTF-8 byte offset it starts at. */
function utf16ToByteTable(text: string): Int32Array {
  const table = new Int32Array(text.length + 1);
  let byte = 0;
  let unit = 0;
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    table[unit] = byte;
    if (char.length === 2) table[unit + 1] = byte;
    byte += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    unit += char.length;
  }
  table[unit] = byte;
  return table;
}

/** The `${` offset of the top-level expression whose evaluation panics. */
function panicOffset(nodes: readonly Node[], lookup: Lookup, strict: boolean): number {
  for (const node of nodes) {
    if (node.kind !== 'func') continue;
    try {
      evaluate([node as FuncNode], lookup, strict);
    } catch {
      return node.start;
    }
  }
  return 0;
}
