import { isRecord } from '../load/resource.js';
import type { KindSchema, SchemaSet, StructuralSchema } from './types.js';

/** A CRD found among the repository's resources, where it was found. */
export interface CrdSource {
  file: string;
  value: unknown;
}

/**
 * The schemas that `apiextensions.k8s.io/v1` CustomResourceDefinitions in the repository
 * define: one per served version, keyed by `<group>/<version>/<Kind>`. They take precedence
 * over the bundled and fetched schemas: they are what the cluster will serve.
 * https://kubernetes.io/docs/reference/kubernetes-api/extend-resources/custom-resource-definition-v1/
 */
export function crdSchemas(crds: readonly CrdSource[]): Map<string, KindSchema> {
  const out = new Map<string, KindSchema>();
  for (const { file, value } of crds) {
    if (
      !isRecord(value) ||
      value.apiVersion !== 'apiextensions.k8s.io/v1' ||
      value.kind !== 'CustomResourceDefinition'
    )
      continue;
    const spec = value.spec;
    if (
      !isRecord(spec) ||
      typeof spec.group !== 'string' ||
      !isRecord(spec.names) ||
      !Array.isArray(spec.versions)
    )
      continue;
    const kind = spec.names.kind;
    if (typeof kind !== 'string') continue;
    const definitions: Record<string, StructuralSchema> = {};
    for (const version of spec.versions) {
      if (!isRecord(version) || typeof version.name !== 'string' || version.served === false) continue;
      const schema = isRecord(version.schema) ? version.schema.openAPIV3Schema : undefined;
      // A version without a schema accepts anything (only possible with preserveUnknownFields).
      definitions[version.name] = isRecord(schema)
        ? (schema as StructuralSchema)
        : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    }
    const name = isRecord(value.metadata) ? String(value.metadata.name) : kind;
    const set: SchemaSet = {
      id: `crd/${file}/${name}`,
      origin: `CustomResourceDefinition ${name} in ${file}`,
      dialect: 'structural',
      definitions,
    };
    for (const version of Object.keys(definitions)) {
      const key = `${spec.group}/${version}/${kind}`;
      // The first definition in file order wins, so results do not depend on load order.
      if (!out.has(key)) out.set(key, { set, ref: version });
    }
  }
  return out;
}
