import path from 'node:path';
import { isRecord } from '../load/resource.js';
import type { BuildTarget, DocLocation, RenderedResource, SourceRoot } from '../render/types.js';

/** The Flux Kustomization fields that change what kustomize builds (fluxcd/pkg kustomize generator). */
const BUILD_FIELDS = [
  'targetNamespace',
  'namePrefix',
  'nameSuffix',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'images',
  'components',
  'ignoreMissingComponents',
  'buildMetadata',
  'decryption',
];

/**
 * `spec.path` inside the source, as kustomize-controller joins it (securejoin.SecureJoin: `..`
 * never climbs above the root). POSIX, no leading `./`, '' for the root.
 */
export function normalizeSpecPath(specPath: unknown): string {
  const parts: string[] = [];
  for (const part of (typeof specPath === 'string' ? specPath : '').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

export function targetKey(source: SourceRoot, dir: string, spec?: Record<string, unknown>): string {
  const fields = spec
    ? Object.fromEntries(BUILD_FIELDS.filter((f) => spec[f] !== undefined).map((f) => [f, spec[f]]))
    : undefined;
  return `${source.id}${source.ignore ? `[${source.ignore}]` : ''}:${dir || '.'}${fields ? ` ${JSON.stringify(fields)}` : ''}`;
}

export function plainTarget(source: SourceRoot, dir: string): BuildTarget {
  return { key: targetKey(source, dir), source, path: dir };
}

export interface FluxKsInfo {
  namespace: string;
  name: string;
  spec: Record<string, unknown>;
  location?: DocLocation;
  sourceRef: { kind: string; namespace: string; name: string; id: string };
}

/** Reads a Flux Kustomization object of a rendered cluster. */
export function fluxKsInfo(resource: RenderedResource): FluxKsInfo {
  const spec = isRecord(resource.value.spec) ? resource.value.spec : {};
  const namespace = resource.id.namespace ?? 'default';
  const ref = isRecord(spec.sourceRef) ? spec.sourceRef : {};
  const kind = typeof ref.kind === 'string' ? ref.kind : 'GitRepository';
  const refNs = typeof ref.namespace === 'string' && ref.namespace !== '' ? ref.namespace : namespace;
  const refName = typeof ref.name === 'string' ? ref.name : '';
  const origin = resource.origin;
  return {
    namespace,
    name: resource.id.name,
    spec,
    ...(origin?.kind === 'file' ? { location: { file: origin.file, docIndex: origin.docIndex } } : {}),
    sourceRef: { kind, namespace: refNs, name: refName, id: `${kind}/${refNs}/${refName}` },
  };
}

/** The build of a Flux Kustomization; `specPath` overrides `spec.path` (an artifact's path mapped to its source). */
export function fluxTarget(source: SourceRoot, ks: FluxKsInfo, specPath?: string): BuildTarget {
  const dir = normalizeSpecPath(specPath ?? ks.spec.path);
  return {
    key: targetKey(source, dir, ks.spec),
    source,
    path: dir,
    flux: {
      namespace: ks.namespace,
      name: ks.name,
      spec: ks.spec,
      ...(ks.location ? { location: ks.location } : {}),
    },
  };
}

/** A local directory standing in for a Flux source (config `sources`), relative to the repository root. */
export function mappedSource(root: string, id: string, dir: string, ignore?: string): SourceRoot {
  const absolute = path.resolve(root, dir);
  const rel = path.relative(root, absolute).split(path.sep).join('/');
  return { id, dir: absolute, rel, ...(ignore ? { ignore } : {}) };
}
