import { isRecord } from '../load/resource.js';
import type { RenderedResource } from '../render/types.js';

/** The Flux release a cluster runs, and the file that says so. */
export interface FluxVersion {
  /** `2.4.0`, or `2.4` when only the minor is pinned. */
  version: string;
  from: string;
}

/**
 * A version as Flux installs write it (`v2.4.0`, `2.4.x`, `2.4`, `>=2.4.0 <2.5.0`): the release,
 * or its minor; undefined for a range without a floor (`2.x`, `*`, `latest`), which means the
 * newest.
 */
export function parseFluxVersion(text: string): string | undefined {
  const m = /(?:^|[^\d.])v?(\d+)\.(\d+|x|\*)(?:\.(\d+|x|\*))?/.exec(text.trim());
  if (!m || m[2] === 'x' || m[2] === '*') return undefined;
  return m[3] !== undefined && /^\d+$/.test(m[3]) ? `${m[1]}.${m[2]}.${m[3]}` : `${m[1]}.${m[2]}`;
}

const INSTALL_URL =
  /github\.com\/fluxcd\/flux2\/(?:\/?manifests\/install\?ref=|releases\/download\/)(v?\d+\.\d+\.\d+)/;

function where(r: RenderedResource): string {
  return r.origin?.kind === 'file' || r.origin?.kind === 'generated' ? r.origin.file : r.target;
}

function labelVersion(r: RenderedResource): string | undefined {
  const metadata = isRecord(r.value.metadata) ? r.value.metadata : {};
  const labels = isRecord(metadata.labels) ? metadata.labels : {};
  return labels['app.kubernetes.io/part-of'] === 'flux' &&
    typeof labels['app.kubernetes.io/version'] === 'string'
    ? labels['app.kubernetes.io/version']
    : undefined;
}

function specOf(r: RenderedResource): Record<string, unknown> {
  return isRecord(r.value.spec) ? r.value.spec : {};
}

/**
 * The Flux release a rendered cluster installs, from what its manifests say: gotk-components'
 * labels (`app.kubernetes.io/version` on every object `flux install` writes), a FluxInstance's or
 * the flux-instance chart's `distribution.version`, the tag of the flux-manifests OCIRepository
 * or of a GitRepository of fluxcd/flux2, or a kustomization pulling the install manifests of a
 * release. Undefined when the cluster does not say (Flux installed outside Git): the newest.
 */
export function fluxVersionOf(
  resources: readonly RenderedResource[],
  kustomizations: readonly { file?: string; dir: string; value: Record<string, unknown> }[] = [],
): FluxVersion | undefined {
  for (const r of resources) {
    const version = labelVersion(r);
    const parsed = version && parseFluxVersion(version);
    if (parsed && r.id.kind === 'Deployment') return { version: parsed, from: where(r) };
  }
  for (const r of resources) {
    const spec = specOf(r);
    let text: unknown;
    if (r.id.kind === 'FluxInstance')
      text = isRecord(spec.distribution) ? spec.distribution.version : undefined;
    else if (r.id.kind === 'HelmRelease' && isRecord(spec.values) && isRecord(spec.values.instance)) {
      const distribution = spec.values.instance.distribution;
      text = isRecord(distribution) ? distribution.version : undefined;
    } else if (
      r.id.kind === 'OCIRepository' &&
      typeof spec.url === 'string' &&
      /\/fluxcd\/flux-manifests\/?$/.test(spec.url)
    )
      text = isRecord(spec.ref) ? spec.ref.tag : undefined;
    else if (
      r.id.kind === 'GitRepository' &&
      typeof spec.url === 'string' &&
      /github\.com[/:]fluxcd\/flux2(\.git)?\/?$/.test(spec.url)
    )
      text = isRecord(spec.ref) ? spec.ref.tag : undefined;
    const parsed = typeof text === 'string' ? parseFluxVersion(text) : undefined;
    if (parsed) return { version: parsed, from: where(r) };
  }
  for (const k of kustomizations)
    for (const entry of Array.isArray(k.value.resources) ? k.value.resources : []) {
      const m = typeof entry === 'string' ? INSTALL_URL.exec(entry) : null;
      const parsed = m ? parseFluxVersion(m[1]!) : undefined;
      if (parsed) return { version: parsed, from: k.file ?? k.dir };
    }
  return undefined;
}
