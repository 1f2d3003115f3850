// Flux's generator: the Flux Kustomization's build fields are written into the target's own
// kustomization before kustomize runs (fluxcd/pkg kustomize v1.35.4, kustomize_generator.go,
// GenerateManifest), not layered around it. Order and rules follow that function.
import { isRecord } from '../../load/resource.js';
import { KUSTOMIZATION_FIELDS } from '../kustomization/kustomization-file.js';
import { isRemoteRef } from '../kustomization/references.js';

export interface MergeResult {
  /** The kustomization kustomize builds. */
  value: Record<string, unknown>;
  /** Pointers of the merged value set by the Flux Kustomization → pointer in its `spec`. */
  fromFlux: Map<string, string>;
  /** Flux refuses the spec (e.g. a remote component): the build fails with this message. */
  error?: string;
  /** Whether the result asks for origin annotations itself (then Flux's output has them too). */
  userOriginAnnotations: boolean;
}

const SELECTOR_FIELDS = [
  'group',
  'version',
  'kind',
  'name',
  'namespace',
  'labelSelector',
  'annotationSelector',
];

/** adaptSelector: only the selector fields kustomize's types.Selector knows. */
function selector(value: unknown): Record<string, unknown> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of SELECTOR_FIELDS)
    if (typeof value[key] === 'string' && value[key] !== '') out[key] = value[key];
  return out;
}

/** Go's `omitempty` on the marshalled types.Kustomization: empty strings, lists and maps vanish. */
function omitEmpty(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === '' || v === null || v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (isRecord(v) && Object.keys(v).length === 0) continue;
    out[key] = v;
  }
  return out;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? [...value] : [];
}

/**
 * Merges a Flux Kustomization's `spec` into a kustomization (plain data in, plain data out).
 * `componentExists(path)` says whether a component path (relative to spec.path) exists, for
 * `ignoreMissingComponents`. `generated`: the kustomization was generated (no file in spec.path).
 */
export function mergeFluxFields(
  kustomization: Record<string, unknown>,
  spec: Record<string, unknown> | undefined,
  options: { componentExists: (path: string) => boolean; generated: boolean },
): MergeResult {
  const fromFlux = new Map<string, string>();
  const k: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
  };
  // yaml.Unmarshal into types.Kustomization keeps only the fields it knows.
  for (const [key, v] of Object.entries(kustomization)) if (KUSTOMIZATION_FIELDS.has(key)) k[key] = v;
  const s = spec ?? {};
  for (const [field, target] of [
    ['targetNamespace', 'namespace'],
    ['namePrefix', 'namePrefix'],
    ['nameSuffix', 'nameSuffix'],
  ] as const) {
    if (typeof s[field] !== 'string') continue;
    k[target] = s[field];
    fromFlux.set(`/${target}`, `/spec/${field}`);
  }
  const patches = list(k.patches);
  list(s.patches).forEach((p, i) => {
    if (!isRecord(p)) return;
    const target = selector(p.target);
    fromFlux.set(`/patches/${patches.length}`, `/spec/patches/${i}`);
    patches.push(omitEmpty({ patch: p.patch, ...(target ? { target } : {}) }));
  });
  k.patches = patches;

  const components = list(k.components);
  let error: string | undefined;
  list(s.components).forEach((c, i) => {
    if (typeof c !== 'string') return;
    if (isRemoteRef(c) || c.startsWith('/') || /^file:\/\/\//i.test(c)) {
      error ??= `component path '${c}' must be local and relative`;
      return;
    }
    if (s.ignoreMissingComponents === true && !options.componentExists(c)) return;
    fromFlux.set(`/components/${components.length}`, `/spec/components/${i}`);
    components.push(c);
  });
  k.components = components;

  // Flux v1 dropped these two fields from its API; the generator still honours them.
  const sm = list(k.patchesStrategicMerge);
  for (const p of list(s.patchesStrategicMerge)) sm.push(JSON.stringify(p));
  k.patchesStrategicMerge = sm;
  const json = list(k.patchesJson6902);
  for (const p of list(s.patchesJson6902)) {
    if (!isRecord(p)) continue;
    json.push(omitEmpty({ patch: JSON.stringify(p.patch ?? null), target: selector(p.target) }));
  }
  k.patchesJson6902 = json;

  mergeImages(k, s, fromFlux);

  const buildMetadata = list(s.buildMetadata).filter((v): v is string => typeof v === 'string');
  if (buildMetadata.length > 0) k.buildMetadata = buildMetadata;
  const userOriginAnnotations = list(k.buildMetadata).includes('originAnnotations');
  if (!options.generated && list(kustomization.resources).length === 0 && buildMetadata.length === 0) {
    // GenerateManifest: an existing kustomization without resources gets originAnnotations, to
    // avoid kustomize's "kustomization.yaml is empty" error.
    k.buildMetadata = ['originAnnotations'];
  }
  const result = omitEmpty(k);
  return {
    value: result,
    fromFlux,
    userOriginAnnotations: userOriginAnnotations || list(result.buildMetadata).includes('originAnnotations'),
    ...(error ? { error } : {}),
  };
}

/**
 * images merge by name: an existing entry keeps what the Flux entry leaves empty; newTag and digest
 * change together (v1.35.4: "setting one clears the other"); a new name is appended.
 */
function mergeImages(k: Record<string, unknown>, s: Record<string, unknown>, fromFlux: Map<string, string>) {
  const images = list(k.images).map((i) => (isRecord(i) ? { ...i } : i));
  list(s.images).forEach((raw, j) => {
    if (!isRecord(raw)) return;
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const image = {
      name: str(raw.name),
      newName: str(raw.newName),
      newTag: str(raw.newTag),
      digest: str(raw.digest),
    };
    const index = images.findIndex((i) => isRecord(i) && i.name === image.name);
    const existing = images[index];
    if (index >= 0 && isRecord(existing)) {
      if (image.newName !== '') existing.newName = image.newName;
      if (image.newTag !== '' || image.digest !== '') {
        existing.newTag = image.newTag;
        existing.digest = image.digest;
      }
      images[index] = omitEmpty(existing);
      fromFlux.set(`/images/${index}`, `/spec/images/${j}`);
    } else {
      fromFlux.set(`/images/${images.length}`, `/spec/images/${j}`);
      images.push(omitEmpty(image));
    }
  });
  k.images = images;
}
