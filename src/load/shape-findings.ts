import type { PendingFinding } from '../core/pending.js';
import { isRecord, type Resource } from './resource.js';

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'number' ? 'a number' : `a ${typeof value}`;
}

/**
 * A Kubernetes object (apiVersion, kind and metadata) whose identity field is not a string, such as
 * `name: 123`, which YAML reads as a number: kustomize passes it through, and the API server
 * refuses the object ("cannot unmarshal number into Go struct field ObjectMeta.metadata.name of
 * type string"), so Flux's apply fails.
 */
function identityFinding(file: string, r: Resource): PendingFinding | undefined {
  const { apiVersion, kind, metadata } = r.value as Record<string, unknown>;
  if (apiVersion === undefined || kind === undefined || !isRecord(metadata)) return undefined;
  const fields: [string, string, unknown][] = [
    ['apiVersion', '/apiVersion', apiVersion],
    ['kind', '/kind', kind],
    ['metadata.name', '/metadata/name', metadata.name],
    ['metadata.namespace', '/metadata/namespace', metadata.namespace],
  ];
  for (const [field, pointer, value] of fields) {
    if (value === undefined || value === null || typeof value === 'string') continue;
    const scalar = typeof value !== 'object';
    return {
      ruleId: 'yaml/invalid-identity',
      severity: 'error',
      message: `${field} is ${typeName(value)}${scalar ? ` (${String(value)})` : ''}, not a string: the Kubernetes API refuses the object${scalar ? `; quote it: "${String(value)}"` : ''}`,
      file,
      docIndex: r.docIndex,
      pointer,
      source: 'yaml',
    };
  }
  return undefined;
}

/** Documents that are clearly meant as Kubernetes objects but lack apiVersion or kind. */
export function shapeFindings(file: string, resources: Resource[]): PendingFinding[] {
  const out: PendingFinding[] = [];
  for (const r of resources) {
    if (!isRecord(r.value)) continue;
    const identity = identityFinding(file, r);
    if (identity) {
      out.push(identity);
      continue;
    }
    if (r.id) continue;
    const { apiVersion, kind, metadata } = r.value;
    if (!isRecord(metadata) || typeof metadata.name !== 'string') continue;
    const hasApi = typeof apiVersion === 'string' && apiVersion !== '';
    const hasKind = typeof kind === 'string' && kind !== '';
    if (hasApi === hasKind) continue;
    out.push({
      ruleId: hasKind ? 'yaml/missing-apiversion' : 'yaml/missing-kind',
      severity: 'error',
      message: hasKind
        ? `${String(kind)} "${metadata.name}" has no apiVersion`
        : `object "${metadata.name}" (apiVersion ${String(apiVersion)}) has no kind`,
      file,
      docIndex: r.docIndex,
      pointer: hasKind ? '/kind' : '/apiVersion',
      atKey: true,
      source: 'yaml',
    });
  }
  return out;
}
