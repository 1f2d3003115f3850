import type { StructuralSchema } from './types.js';

export type Resolver = (name: string) => StructuralSchema | undefined;

/**
 * The effective schema of a node: `$ref` followed, and `allOf` members that only reference
 * a definition (OpenAPI v3 wraps references that carry a default that way) merged in.
 */
export function effective(node: StructuralSchema, resolve: Resolver, depth = 0): StructuralSchema {
  if (depth === 0) {
    // Asked for every node of every object: each answer is computed once per resolver (a
    // schema set's, see resolverOf). Answers are shared: callers only read them.
    let known = memo.get(resolve);
    if (!known) {
      known = new WeakMap();
      memo.set(resolve, known);
    }
    let found = known.get(node);
    if (!found) {
      found = resolveEffective(node, resolve, 0);
      known.set(node, found);
    }
    return found;
  }
  return resolveEffective(node, resolve, depth);
}

const memo = new WeakMap<Resolver, WeakMap<StructuralSchema, StructuralSchema>>();
const resolvers = new WeakMap<object, Resolver>();

/** One resolver per set of definitions, so what effective() works out is kept with it. */
export function resolverOf(definitions: Readonly<Record<string, StructuralSchema>>): Resolver {
  let resolve = resolvers.get(definitions);
  if (!resolve) {
    resolve = (name) => definitions[name];
    resolvers.set(definitions, resolve);
  }
  return resolve;
}

function resolveEffective(node: StructuralSchema, resolve: Resolver, depth: number): StructuralSchema {
  if (depth > 32) return node;
  if (typeof node.$ref === 'string') {
    const target = resolve(node.$ref.replace(/^#\/definitions\//, ''));
    if (!target) return {};
    const { $ref: _ref, ...rest } = node;
    return { ...resolveEffective(target, resolve, depth + 1), ...rest };
  }
  if (node.allOf?.length && node.allOf.every((s) => typeof s.$ref === 'string')) {
    const { allOf, ...rest } = node;
    // The node's own keywords win over the referenced definitions'.
    return Object.assign(
      {},
      ...allOf.map((s) => resolveEffective(s, resolve, depth + 1)),
      rest,
    ) as StructuralSchema;
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
