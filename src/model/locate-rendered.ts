import type { TargetBuild } from '../render/build/build-target.js';
import { mapToSource, type SourcePlace } from '../render/origin/map-to-source.js';
import type { SourceReader } from '../render/source-reader.js';
import { type ClusterResource, isFluxKustomization, type RenderedCluster } from './types.js';

export interface RenderedLocation extends SourcePlace {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/**
 * The line to report a finding at `pointer` of a rendered object (issue 3, "Mapping back to the
 * edited line"): mapToSource with the object's build and the cluster's own Flux Kustomization,
 * then the source position (with `key`, the key's: unknown fields are reported there). Never line 0.
 */
export function locateRendered(
  render: { builds: readonly TargetBuild[]; reader: SourceReader },
  cluster: RenderedCluster | undefined,
  resource: ClusterResource,
  pointer: string,
  options: { key?: boolean } = {},
): RenderedLocation {
  const build = render.builds.find((b) => b.target.key === resource.target);
  const owner = resource.appliedBy;
  const ks = owner
    ? cluster?.resources.find(
        (r) =>
          isFluxKustomization(r.id) &&
          r.id.name === owner.name &&
          (r.id.namespace ?? 'default') === owner.namespace,
      )
    : undefined;
  const map = {
    ...(build?.map ?? { dir: '', nodes: [], fromFlux: new Map<string, string>() }),
    ...(ks?.origin?.kind === 'file' ? { flux: { file: ks.origin.file, docIndex: ks.origin.docIndex } } : {}),
    ...(ks && typeof ks.value.spec === 'object'
      ? { fluxSpec: ks.value.spec as Record<string, unknown> }
      : {}),
  };
  const place = mapToSource(resource, pointer, { reader: render.reader, map });
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
