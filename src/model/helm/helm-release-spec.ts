import { createHash } from 'node:crypto';
import { isRecord } from '../../load/resource.js';
import type { ClusterResource } from '../types.js';

export const HELM_GROUP = 'helm.toolkit.fluxcd.io';

/** The fields of a HelmRelease (helm.toolkit.fluxcd.io/v2) that decide what it renders. */
export interface HelmReleaseSpec {
  namespace: string;
  name: string;
  spec: Record<string, unknown>;
  /** Helm's release name and namespace (see releaseName). */
  releaseName: string;
  releaseNamespace: string;
}

/** A HelmRelease of any API version. */
export function isHelmRelease(r: Pick<ClusterResource, 'id'>): boolean {
  return r.id.kind === 'HelmRelease' && r.id.apiVersion.startsWith(`${HELM_GROUP}/`);
}

/**
 * A HelmRelease the cluster's Flux serves, so helm-controller reconciles it: v2, and on older
 * releases v2beta2 (removed in Flux 2.8) and v2beta1 (removed in 2.7); the fields rendering reads
 * are the same in them. Newest Flux when the cluster does not say.
 */
export function isServedHelmRelease(
  r: Pick<ClusterResource, 'id'>,
  fluxVersion: string | undefined,
): boolean {
  if (!isHelmRelease(r)) return false;
  const version = r.id.apiVersion.slice(HELM_GROUP.length + 1);
  if (version === 'v2') return true;
  const minor = /^v?2\.(\d+)/.exec(fluxVersion ?? '')?.[1];
  if (minor === undefined) return false;
  return (version === 'v2beta2' && Number(minor) < 8) || (version === 'v2beta1' && Number(minor) < 7);
}

/**
 * helm-controller's release name (api/v2 GetReleaseName: `spec.releaseName`, else
 * `[targetNamespace-]name`), shortened as it does to Helm's 53 characters
 * (internal/release/name.go: the first 40, a dash and 12 hex digits of the full name's sha256).
 */
export function releaseName(name: string, spec: Record<string, unknown>): string {
  const target = typeof spec.targetNamespace === 'string' ? spec.targetNamespace : '';
  const full =
    typeof spec.releaseName === 'string' && spec.releaseName !== ''
      ? spec.releaseName
      : target !== ''
        ? `${target}-${name}`
        : name;
  if (full.length <= 53) return full;
  const sum = createHash('sha256').update(full).digest('hex');
  return `${full.slice(0, 53 - 13)}-${sum.slice(0, 12)}`;
}

export function helmReleaseSpec(r: ClusterResource): HelmReleaseSpec {
  const spec = isRecord(r.value.spec) ? r.value.spec : {};
  const namespace = r.id.namespace ?? 'default';
  const target =
    typeof spec.targetNamespace === 'string' && spec.targetNamespace !== '' ? spec.targetNamespace : '';
  return {
    namespace,
    name: r.id.name,
    spec,
    releaseName: releaseName(r.id.name, spec),
    releaseNamespace: target || namespace,
  };
}

/** A field of the spec as a record, else undefined. */
export function field(spec: Record<string, unknown>, ...path: string[]): Record<string, unknown> | undefined {
  let at: unknown = spec;
  for (const key of path) at = isRecord(at) ? at[key] : undefined;
  return isRecord(at) ? at : undefined;
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The pointer findings about the chart are placed at: the chart name, or the chartRef. */
export function chartPointer(spec: Record<string, unknown>): string {
  if (field(spec, 'chart', 'spec')) return '/spec/chart/spec/chart';
  if (field(spec, 'chartRef')) return '/spec/chartRef/name';
  return '/spec/chart';
}
