import type { Diagnostic } from '../core/diagnostic.js';
import type { TargetBuild } from '../render/build/build-target.js';
import { mapToSource, type SourcePlace } from '../render/origin/map-to-source.js';
import type { SourceReader } from '../render/source-reader.js';
import { objectsByName } from './cluster-index.js';
import { helmPlace } from './helm/helm-place.js';
import { type ClusterResource, isFluxKustomization, type RenderedCluster } from './types.js';

export interface RenderedLocation extends SourcePlace {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

const buildIndex = new WeakMap<readonly TargetBuild[], Map<string, TargetBuild>>();

/** The builds by target key (the first of each), computed once per render. */
function buildsByKey(builds: readonly TargetBuild[]): Map<string, TargetBuild> {
  let index = buildIndex.get(builds);
  if (!index) {
    index = new Map();
    for (const b of builds) if (!index.has(b.target.key)) index.set(b.target.key, b);
    buildIndex.set(builds, index);
  }
  return index;
}

const fluxKustomization = (r: ClusterResource) => isFluxKustomization(r.id);

/** mapToSource with the object's build and the cluster's own Flux Kustomization. */
function sourcePlace(
  render: { builds: readonly TargetBuild[]; reader: SourceReader },
  cluster: RenderedCluster | undefined,
  resource: ClusterResource,
  pointer: string,
): SourcePlace {
  const build = buildsByKey(render.builds).get(resource.target);
  const owner = resource.appliedBy;
  const ks =
    owner && cluster
      ? objectsByName(cluster, fluxKustomization).get(`${owner.namespace}/${owner.name}`)
      : undefined;
  const map = {
    ...(build?.map ?? { dir: '', nodes: [], fromFlux: new Map<string, string>() }),
    ...(ks?.origin?.kind === 'file' ? { flux: { file: ks.origin.file, docIndex: ks.origin.docIndex } } : {}),
    ...(ks && typeof ks.value.spec === 'object'
      ? { fluxSpec: ks.value.spec as Record<string, unknown> }
      : {}),
  };
  return mapToSource(resource, pointer, { reader: render.reader, map });
}

/**
 * The file, document and pointer that hold `pointer` of a rendered object, without its line: what
 * decides which file an object belongs to. The line needs the file's source map (its YAML parsed
 * with positions), which only a finding's placement pays for.
 */
export function renderedPlace(
  render: { builds: readonly TargetBuild[]; reader: SourceReader },
  cluster: RenderedCluster | undefined,
  resource: ClusterResource,
  pointer: string,
): SourcePlace {
  return resource.origin?.kind === 'helm' && cluster
    ? helmPlace(cluster, resource, pointer, (r, p) => renderedPlace(render, cluster, r, p))
    : sourcePlace(render, cluster, resource, pointer);
}

/**
 * The line to report a finding at `pointer` of a rendered object (issue 3, "Mapping back to the
 * edited line"): mapToSource with the object's build and the cluster's own Flux Kustomization (for
 * an object a HelmRelease rendered: the values entry that set the value, else the release's chart,
 * see helm/helm-place.ts), then the source position (with `key`, the key's: unknown fields are
 * reported there). Never line 0.
 */
export function locateRendered(
  render: { builds: readonly TargetBuild[]; reader: SourceReader },
  cluster: RenderedCluster | undefined,
  resource: ClusterResource,
  pointer: string,
  options: { key?: boolean } = {},
): RenderedLocation {
  const place = renderedPlace(render, cluster, resource, pointer);
  const placed = render.reader.placer.place({
    ruleId: '',
    severity: 'info',
    message: '',
    source: 'render',
    file: place.file,
    docIndex: place.docIndex,
    pointer: place.pointer,
    ...(options.key ? { atKey: true } : {}),
  });
  return {
    ...place,
    line: placed.line,
    column: placed.column,
    ...(placed.endLine !== undefined ? { endLine: placed.endLine } : {}),
    ...(placed.endColumn !== undefined ? { endColumn: placed.endColumn } : {}),
  };
}

/** A finding on a rendered object of a cluster, at `pointer` mapped to the line to edit. */
export function renderedDiagnostic(
  render: { builds: readonly TargetBuild[]; reader: SourceReader },
  cluster: RenderedCluster,
  resource: ClusterResource,
  pointer: string,
  what: Pick<Diagnostic, 'ruleId' | 'severity' | 'message' | 'source'>,
): Diagnostic {
  const at = locateRendered(render, cluster, resource, pointer);
  return {
    ruleId: what.ruleId,
    severity: what.severity,
    message: what.message,
    file: at.file,
    line: at.line,
    column: at.column,
    ...(at.endLine !== undefined ? { endLine: at.endLine } : {}),
    ...(at.endColumn !== undefined ? { endColumn: at.endColumn } : {}),
    resource: resource.id,
    cluster: cluster.name,
    ...(pointer !== '' ? { path: pointer } : {}),
    source: what.source,
  };
}
