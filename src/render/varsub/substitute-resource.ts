// Post-build substitution of one resource, as fluxcd/pkg kustomize v1.35 `SubstituteVariables` does it:
// validate the variable names, print the resource as YAML (sigs.k8s.io/yaml JSONToYAML), substitute on
// that text, and read the text back (YAMLToJSON). Substituting on text, not on values, is what users
// rely on and trip over: `replicas: ${N}` becomes a number, a value of "true"/"yes"/"0777" changes
// type, `${q}${n}${q}` with q='"' forces a string, an empty value turns `key: ${v}` into null, and a
// value with `'` inside a single-quoted scalar (e.g. embedded JSON) breaks the YAML.
// Provenance comes from the same text: each scalar's position in the printed YAML is known, and the
// substitution maps output offsets back to input offsets, so the object returned is Flux's and the
// pointer-to-variable map cannot disagree with it.
import { fluxErrors } from './flux-errors.js';
import { rewriteBreakScalars } from './go-yaml/break-scalars.js';
import { type DecodedNode, goYamlToJson } from './go-yaml/decode.js';
import { emitGoYaml, type ScalarSpan } from './go-yaml/emit.js';
import { sortKeysLikeGoYaml } from './go-yaml/key-order.js';
import { substituteMapped } from './substitute.js';
import type { Replacement, SubstituteOptions, Vars } from './types.js';
import { invalidVarNameMessage, invalidVarNames } from './var-names.js';

export interface SubstitutedNode {
  /** JSON pointer in the result; for a key, the pointer of the member it names. */
  pointer: string;
  /** Where the text came from: the pointer in the input object (for a key, its member). */
  sourcePointer: string;
  key: boolean;
  /** Variables read by the expressions that produced this node (defaults' variables included). */
  vars: string[];
}

export interface ResourceUndefinedVar {
  name: string;
  /** Pointer in the input object of the string holding the reference; `key` when it is in a key. */
  pointer: string;
  key: boolean;
}

export type VarsubErrorKind = 'invalid-var-name' | 'syntax' | 'panic' | 'undefined-var' | 'yaml';

export interface VarsubError {
  kind: VarsubErrorKind;
  /** Flux's message (without kustomize-controller's "post build failed for ..." prefix). */
  message: string;
  /** Input pointer of the string the problem is in, when known. */
  pointer?: string;
  key?: boolean;
}

export interface ResourceSubstitution {
  /**
   * The object Flux applies. Undefined when Flux cannot produce one. With `undefined-var` errors it is
   * still given (undefined variables read as empty), so later checks can run; Flux itself fails.
   */
  object?: unknown;
  error?: VarsubError;
  undefinedVars: ResourceUndefinedVar[];
  substituted: SubstitutedNode[];
  /** The YAML Flux substitutes and the result, for diagnostics and tests. */
  yaml: string;
  output: string;
}

export function substituteResource(
  obj: unknown,
  vars: Vars,
  options: SubstituteOptions,
): ResourceSubstitution {
  const invalid = invalidVarNames(vars);
  if (invalid.length > 0) {
    const message = fluxErrors.invalidName(invalidVarNameMessage(invalid[0]!));
    return {
      error: { kind: 'invalid-var-name', message },
      undefinedVars: [],
      substituted: [],
      yaml: '',
      output: '',
    };
  }
  const unchanged = withoutReferences(obj);
  if (unchanged !== undefined)
    return { object: unchanged, undefinedVars: [], substituted: [], yaml: '', output: '' };
  const emitted = emitGoYaml(obj);
  const spans = emitted.scalars;
  const { result, toInput } = substituteMapped(emitted.text, vars, options);
  const base = { yaml: emitted.text, output: result.output };
  const locate = (offset: number) => spanAt(spans, offset);
  if (result.syntaxError || result.panic) {
    const problem = (result.syntaxError ?? result.panic)!;
    const kind = result.syntaxError ? 'syntax' : 'panic';
    const error = {
      kind,
      message: fluxErrors.substitution(problem.message),
      ...locate(problem.offset),
    } as const;
    return { ...base, error, undefinedVars: [], substituted: [] };
  }
  const undefinedVars = result.undefinedVars.map((ref) => ({
    name: ref.name,
    pointer: locate(ref.offset)?.pointer ?? '',
    key: locate(ref.offset)?.key ?? false,
  }));
  const first = undefinedVars[0];
  const undefinedError: VarsubError | undefined = first && {
    kind: 'undefined-var',
    message: fluxErrors.undefinedVar(first.name),
    pointer: first.pointer,
    key: first.key,
  };
  if (result.invalidUtf8) {
    const error: VarsubError = {
      kind: 'yaml',
      message: fluxErrors.yaml('yaml: invalid UTF-8 in the substituted text'),
    };
    return { ...base, error: undefinedError ?? error, undefinedVars, substituted: [] };
  }
  const rewritten = rewriteBreakScalars(result.output, spans, result.replacements, vars, options);
  const decoded = goYamlToJson(rewritten.text);
  if (!decoded.ok) {
    const error: VarsubError = { kind: 'yaml', message: fluxErrors.yaml(decoded.message) };
    return { ...base, error: undefinedError ?? error, undefinedVars, substituted: [] };
  }
  if (decoded.value === null || typeof decoded.value !== 'object' || Array.isArray(decoded.value)) {
    // YAMLToJSON only reads the first document's root; kustomize cannot make a resource of a non-map.
    const error: VarsubError = {
      kind: 'yaml',
      message: 'UnmarshalJSON: the substituted resource is not a mapping',
    };
    return { ...base, error: undefinedError ?? error, undefinedVars, substituted: [] };
  }
  const nodes = decoded.nodes.map((node) => ({
    ...node,
    start: rewritten.toOutput(node.start),
    end: rewritten.toOutput(node.end),
  }));
  const substituted = provenance(nodes, result.replacements, spans, toInput);
  return {
    ...base,
    object: decoded.value,
    undefinedVars,
    substituted,
    ...(undefinedError ? { error: undefinedError } : {}),
  };
}

const NOT_PLAIN = Symbol('not plain');
/** Control characters other than tab and newline, line breaks YAML normalizes, surrogates, a BOM. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const NOT_PLAIN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff\ufeff]/;

/**
 * The object Flux gets back when the text has nothing to substitute: without a `$` anywhere,
 * envsubst leaves the YAML as printed, and reading it back gives the same values with map keys in
 * go-yaml's order. Computed without printing (a deep copy, keys sorted as go-yaml sorts them), for
 * objects whose every value survives the trip unchanged: strings, booleans, null, and integers JSON
 * carries exactly. Anything else (a float, a control character, a surrogate) takes the full path.
 */
function withoutReferences(obj: unknown): unknown {
  const copy = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (value.includes('$') || NOT_PLAIN_TEXT.test(value)) throw NOT_PLAIN;
      return value;
    }
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value) || Object.is(value, -0)) throw NOT_PLAIN;
      return value;
    }
    if (value === null || typeof value === 'boolean') return value;
    if (Array.isArray(value)) return value.map(copy);
    if (typeof value !== 'object') throw NOT_PLAIN;
    const object = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of sortKeysLikeGoYaml(Object.keys(object).filter((k) => object[k] !== undefined))) {
      // `<<` is go-yaml's merge key when read back: only the full path knows what that does.
      if (key === '<<' || key.includes('$') || NOT_PLAIN_TEXT.test(key)) throw NOT_PLAIN;
      out[key] = copy(object[key]);
    }
    return out;
  };
  try {
    return copy(obj);
  } catch (error) {
    if (error === NOT_PLAIN) return undefined;
    throw error;
  }
}

/** The scalar span containing a UTF-16 offset of the printed YAML. */
function spanAt(spans: readonly ScalarSpan[], offset: number): { pointer: string; key: boolean } | undefined {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const span = spans[mid]!;
    if (offset < span.start) hi = mid - 1;
    else if (offset >= span.end) lo = mid + 1;
    else return { pointer: span.pointer, key: span.key };
  }
  return undefined;
}

function provenance(
  nodes: readonly DecodedNode[],
  replacements: readonly Replacement[],
  spans: readonly ScalarSpan[],
  toInput: (offset: number) => number,
): SubstitutedNode[] {
  const subs = replacements.filter((r) => r.vars.length > 0);
  if (subs.length === 0) return [];
  const out: SubstitutedNode[] = [];
  for (const node of nodes) {
    // Replacements are in output order: start at the first that ends at or after the node.
    let lo = 0;
    let hi = subs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (subs[mid]!.outputEnd < node.start) lo = mid + 1;
      else hi = mid;
    }
    const hits: Replacement[] = [];
    for (let k = lo; k < subs.length && subs[k]!.outputStart <= node.end; k++) {
      const r = subs[k]!;
      const hit = node.scalar
        ? touches(r, node.start, node.end)
        : r.outputStart <= node.start && node.start < r.outputEnd;
      if (hit) hits.push(r);
    }
    if (hits.length === 0) continue;
    const source = spanAt(spans, hits[0]!.inputStart) ?? spanAt(spans, toInput(node.start));
    out.push({
      pointer: node.pointer,
      sourcePointer: source?.pointer ?? node.pointer,
      key: node.key,
      vars: [...new Set(hits.flatMap((r) => r.vars))],
    });
  }
  return out;
}

/** Whether a replacement produced part of [start, end); an empty replacement counts at the edges. */
function touches(r: Replacement, start: number, end: number): boolean {
  if (r.outputStart === r.outputEnd) return start <= r.outputStart && r.outputStart <= end;
  return r.outputStart < end && r.outputEnd > start;
}
