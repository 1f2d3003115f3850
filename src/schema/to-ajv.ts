import type { StructuralSchema } from './types.js';

/**
 * Converts a structural schema node into the JSON Schema ajv validates, with the API
 * server's semantics:
 * - unknown fields are errors (the server's `fieldValidation=Strict`, kubectl's default since
 *   1.27), unless `x-kubernetes-preserve-unknown-fields`;
 * - `nullable` adds `null` to the type; `x-kubernetes-int-or-string` is integer or string;
 * - OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` become draft-07 numbers.
 * https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation
 * List types, embedded resources, defaults and CEL rules are checked by the structural walker.
 */
export interface ConvertContext {
  /** The ajv id of a `#/definitions/<name>` reference. */
  refId(name: string): string;
  /** The ajv id of the ObjectMeta schema used for `metadata` of CRD roots and embedded resources. */
  objectMetaId: string;
}

type Json = Record<string, unknown>;

const COPIED = [
  'format',
  'enum',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'multipleOf',
  'uniqueItems',
  'required',
] as const;

const validPatterns = new Map<string, boolean>();

/** Kubernetes patterns are RE2; one that JavaScript cannot compile is skipped, not failed. */
function patternCompiles(pattern: string): boolean {
  let ok = validPatterns.get(pattern);
  if (ok === undefined) {
    try {
      new RegExp(pattern);
      ok = true;
    } catch {
      ok = false;
    }
    validPatterns.set(pattern, ok);
  }
  return ok;
}

const intOrString = (node: StructuralSchema) =>
  node['x-kubernetes-int-or-string'] === true || node.format === 'int-or-string';

function typeOf(node: StructuralSchema): string[] | undefined {
  if (intOrString(node)) return ['integer', 'string'];
  if (node.type === undefined) return undefined;
  return Array.isArray(node.type) ? [...node.type] : [node.type];
}

export function toAjv(
  node: StructuralSchema,
  ctx: ConvertContext,
  options: { root?: boolean; valueOnly?: boolean } = {},
): Json {
  if (typeof node.$ref === 'string') {
    const name = node.$ref.replace(/^#\/definitions\//, '');
    // `nullable` on a reference only matters for list items: nulls in mappings are unset.
    return { $ref: ctx.refId(name) };
  }
  const out: Json = {};
  const types = typeOf(node);
  if (types) {
    if (node.nullable && !types.includes('null')) types.push('null');
    out.type = types.length === 1 ? types[0] : types;
  }
  for (const key of COPIED) if (node[key] !== undefined) out[key] = node[key];
  if (out.format === 'int-or-string') delete out.format;
  if (typeof out.pattern === 'string' && !patternCompiles(out.pattern)) delete out.pattern;
  if (node.enum && node.nullable && !node.enum.includes(null)) out.enum = [...node.enum, null];
  if (node.exclusiveMinimum === true && typeof node.minimum === 'number') {
    out.exclusiveMinimum = node.minimum;
    delete out.minimum;
  }
  if (node.exclusiveMaximum === true && typeof node.maximum === 'number') {
    out.exclusiveMaximum = node.maximum;
    delete out.maximum;
  }
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = node['x-kubernetes-embedded-resource'] === true;
  const properties: Record<string, StructuralSchema> = { ...node.properties };
  if (embedded || options.root) {
    // apiVersion, kind and metadata are implicit in a Kubernetes object's schema; metadata
    // is validated as ObjectMeta (CRD schemas only say `type: object`).
    properties.apiVersion ??= { type: 'string' };
    properties.kind ??= { type: 'string' };
  }
  // Below allOf/anyOf/oneOf/not: value validations of the fields they name; which fields exist
  // is the main schema's business (Cilium's `oneOf: [{required: [endpointSelector]}, ...]`).
  const valueOnly = options.valueOnly === true;
  const child = (s: StructuralSchema) => toAjv(s, ctx, valueOnly ? { valueOnly } : {});
  if (node.properties || embedded || options.root) {
    const converted: Json = {};
    for (const [name, sub] of Object.entries(properties)) converted[name] = child(sub);
    if (embedded || options.root) converted.metadata = { $ref: ctx.objectMetaId };
    out.properties = converted;
  }
  if (embedded) out.required = [...new Set([...((out.required as string[]) ?? []), 'apiVersion', 'kind'])];
  if (typeof node.additionalProperties === 'object')
    out.additionalProperties = child(node.additionalProperties);
  else if (valueOnly) {
    // Unknown fields are decided by the main schema only.
  } else if (node.additionalProperties === false || (out.properties && !preserve))
    out.additionalProperties = false;
  else if (!preserve && !node.additionalProperties && types?.includes('object') && !node.allOf && !node.anyOf)
    // A CRD object without fields and without preserve-unknown-fields keeps nothing: the
    // server prunes (and, strict, rejects) whatever is written there.
    out.additionalProperties = false;
  if (node.items) out.items = child(node.items);
  // Value validations only (structural schemas forbid types and fields in these).
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = node[key];
    // int-or-string spells its two types as anyOf (CRDs) or oneOf (OpenAPI v3): the type covers it.
    if (list && !(key !== 'allOf' && intOrString(node)))
      out[key] = list.map((s) => toAjv(s, ctx, { valueOnly: true }));
  }
  if (node.not) out.not = toAjv(node.not, ctx, { valueOnly: true });
  return out;
}
