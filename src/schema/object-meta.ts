import { isRecord } from '../load/resource.js';
import type { StructuralSchema } from './types.js';

/**
 * ObjectMeta as the API server decodes it (k8s.io/apimachinery meta/v1 ObjectMeta): the
 * schema used for `metadata` of custom resources and embedded resources, whose CRD schemas
 * only say `type: object`. https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/
 */
export const OBJECT_META: StructuralSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    selfLink: { type: 'string' },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer' },
    creationTimestamp: { type: 'string' },
    deletionTimestamp: { type: 'string' },
    deletionGracePeriodSeconds: { type: 'integer' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    ownerReferences: {
      type: 'array',
      items: {
        type: 'object',
        required: ['apiVersion', 'kind', 'name', 'uid'],
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          name: { type: 'string' },
          uid: { type: 'string' },
          controller: { type: 'boolean' },
          blockOwnerDeletion: { type: 'boolean' },
        },
      },
    },
    finalizers: { type: 'array', items: { type: 'string' } },
    managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  },
};

/** A problem with a metadata value: pointer and message. */
export interface MetaProblem {
  pointer: string;
  message: string;
  /** At the mapping key (a bad label or annotation key). */
  atKey?: boolean;
}

// k8s.io/apimachinery/pkg/util/validation: IsDNS1123Label, IsDNS1123Subdomain, IsQualifiedName.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ANNOTATIONS_MAX = 256 * 1024;

/** Kinds whose names are DNS-1123 labels (pkg/apis/core/validation: ValidateNamespaceName, ValidateServiceName). */
const LABEL_NAMED = new Set(['v1/Namespace', 'v1/Service']);
/** Kinds whose names are path segments (rbac validation: ValidateRBACName). */
const PATH_SEGMENT_NAMED = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

function dnsSubdomain(value: string): string | undefined {
  if (value.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(value))
    return "must consist of lower case alphanumeric characters, '-' or '.', and start and end with an alphanumeric character (RFC 1123 subdomain)";
  return undefined;
}

function dnsLabel(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL.test(value))
    return "must consist of lower case alphanumeric characters or '-', and start and end with an alphanumeric character (RFC 1123 label)";
  return undefined;
}

function pathSegment(value: string): string | undefined {
  if (value === '.' || value === '..') return `may not be '${value}'`;
  if (/[/%]/.test(value)) return "may not contain '/' or '%'";
  return undefined;
}

function qualifiedName(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return "a qualified name has at most one '/'";
  const name = parts.at(-1)!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') return 'prefix part must be non-empty';
    const bad = dnsSubdomain(prefix);
    if (bad) return `prefix part ${bad}`;
  }
  if (name === '') return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!QUALIFIED_NAME.test(name))
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Name, namespace, label and annotation formats, as the API server validates ObjectMeta. */
export function checkObjectMeta(apiVersion: string, kind: string, metadata: unknown): MetaProblem[] {
  if (!isRecord(metadata)) return [];
  const out: MetaProblem[] = [];
  const { name, namespace, labels, annotations } = metadata;
  if (typeof name === 'string' && kind !== 'CustomResourceDefinition' && kind !== 'APIService') {
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
    const problem = LABEL_NAMED.has(`${apiVersion}/${kind}`)
      ? dnsLabel(name)
      : PATH_SEGMENT_NAMED.has(kind) && group === 'rbac.authorization.k8s.io'
        ? pathSegment(name)
        : dnsSubdomain(name);
    if (problem) out.push({ pointer: '/metadata/name', message: `metadata.name "${name}" ${problem}` });
  }
  if (typeof namespace === 'string') {
    const problem = dnsLabel(namespace);
    if (problem)
      out.push({ pointer: '/metadata/namespace', message: `metadata.namespace "${namespace}" ${problem}` });
  }
  if (isRecord(labels)) {
    for (const [key, value] of Object.entries(labels)) {
      const keyProblem = qualifiedName(key);
      if (keyProblem)
        out.push({
          pointer: `/metadata/labels/${esc(key)}`,
          message: `label key "${key}": ${keyProblem}`,
          atKey: true,
        });
      if (typeof value !== 'string') continue;
      if (value.length > 63 || !LABEL_VALUE.test(value))
        out.push({
          pointer: `/metadata/labels/${esc(key)}`,
          message: `label value "${value}" for "${key}" must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`,
        });
    }
  }
  if (isRecord(annotations)) {
    let size = 0;
    for (const [key, value] of Object.entries(annotations)) {
      size += key.length + (typeof value === 'string' ? value.length : 0);
      const problem = qualifiedName(key.toLowerCase());
      if (problem)
        out.push({
          pointer: `/metadata/annotations/${esc(key)}`,
          message: `annotation key "${key}": ${problem}`,
          atKey: true,
        });
    }
    if (size > ANNOTATIONS_MAX)
      out.push({
        pointer: '/metadata/annotations',
        message: `annotations total ${size} bytes, more than 256 KiB`,
      });
  }
  return out;
}
