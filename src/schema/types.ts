/**
 * A structural schema: the OpenAPI v3 subset Kubernetes uses for CRDs and its own types,
 * with the x-kubernetes-* extensions.
 * https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema
 */
export interface StructuralSchema {
  type?: string | string[];
  format?: string;
  $ref?: string;
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema | boolean;
  items?: StructuralSchema;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  default?: unknown;
  allOf?: StructuralSchema[];
  anyOf?: StructuralSchema[];
  oneOf?: StructuralSchema[];
  not?: StructuralSchema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-validations'?: CelRule[];
  [keyword: string]: unknown;
}

/** One `x-kubernetes-validations` entry. */
export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: string;
  optionalOldSelf?: boolean;
}

/** `<group>/<version>/<Kind>`, or `<version>/<Kind>` for the core group. */
export type GvkKey = string;

export function gvkKey(apiVersion: string, kind: string): GvkKey {
  return `${apiVersion}/${kind}`;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Schemas of a set of kinds sharing definitions (a bundle, a CRD, a fetched file). */
export interface SchemaSet {
  /** Unique id of the set; ajv ids of its definitions derive from it. */
  id: string;
  /** Human description of where the schema came from, for messages. */
  origin: string;
  /** `structural` (Kubernetes OpenAPI / CRD) or plain JSON Schema (fetched kubeconform files). */
  dialect: 'structural' | 'json-schema';
  definitions: Record<string, StructuralSchema>;
}

/** Where one kind's schema is. */
export interface KindSchema {
  set: SchemaSet;
  /** Definition name in the set. */
  ref: string;
}
