import type { ResourceId } from '../core/diagnostic.js';

/** One non-empty YAML document of a file. */
export interface Resource {
  /** Repository-relative POSIX path. */
  file: string;
  /** Index among the file's non-empty documents (0-based). */
  docIndex: number;
  value: unknown;
  /** Set when the document looks like a Kubernetes object (apiVersion, kind and metadata.name). */
  id?: ResourceId;
}

export interface SourceFile {
  file: string;
  text: string;
  resources: Resource[];
  /**
   * A document no build may be given: too large, or an alias bomb (kustomize expands aliases
   * without go-yaml's guard). Its finding is reported at load; builds that read the file are not run.
   */
  unbuildable?: { line: number; message: string };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The identity of a Kubernetes object, or undefined when the document is not one. */
export function resourceIdOf(value: unknown): ResourceId | undefined {
  if (!isRecord(value)) return undefined;
  const { apiVersion, kind, metadata } = value;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !isRecord(metadata)) return undefined;
  const { name, namespace } = metadata;
  if (typeof name !== 'string') return undefined;
  return typeof namespace === 'string' && namespace !== ''
    ? { apiVersion, kind, namespace, name }
    : { apiVersion, kind, name };
}

export function formatResourceId(id: ResourceId): string {
  return `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
}
