import type { StructuralSchema } from './types.js';

export type Resolver = (name: string) => StructuralSchema | undefined;

/**
 * The effective schema of a node: `$ref` followed, and `allOf` members that only reference
 * a definition (OpenAPI v3 wraps references that carry a default that way) merged in.
 */
export function effective(node: StructuralSchema, resolve: Resolver, depth = 0): StructuralSchema {
  if (depth > 32) return node;
  if (typeof node.$ref === 'string') {
    const target = resolve(node.$ref.replace(/^#\/definitions\//, ''));
    if (!target) return {};
    const { $ref: _ref, ...rest } = node;
    return { ...effective(target, resolve, depth + 1), ...rest };
  }
  if (node.allOf?.length && node.allOf.every((s) => typeof s.$ref === 'string')) {
    const { allOf, ...rest } = node;
    // The node's own keywords win over the referenced definitions'.
    return Object.assign({}, ...allOf.map((s) => effective(s, resolve, depth + 1)), rest) as StructuralSchema;
  }
  return node;
}

/** The schema of a field of an object node, or undefined when the node allows anything. */
export function fieldSchema(node: StructuralSchema, name: string): StructuralSchema | undefined {
  const direct = node.properties?.[name];
  if (direct) return direct;
  return typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
}

/** RFC 6901 escaping of one segment. */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
