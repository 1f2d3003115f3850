import { isRecord, type Resource } from '../../load/resource.js';
import type { SourceReader } from '../../render/source-reader.js';
import type { DocLocation } from '../../render/types.js';
import { normalizeSpecPath } from '../flux-target.js';
import { isFluxKustomization } from '../types.js';

/**
 * What the repository says about how Flux runs it, read from the files as written (before any
 * build): the Kustomizations `flux bootstrap` writes, and the sync of a Flux Operator
 * `FluxInstance`. Each is a cluster root that Flux itself uses; nothing here is guessed from
 * directory names.
 */

/**
 * A Flux Kustomization that deploys the directory holding it (`flux bootstrap`'s
 * `flux-system/gotk-sync.yaml`, with `spec.path: ./clusters/prod`): the cluster manages itself
 * from there.
 */
export interface BootstrapRoot {
  kind: 'bootstrap';
  location: DocLocation;
  /** The directory it deploys (repo-relative). */
  path: string;
}

/**
 * `flux bootstrap --path=DIR` writes `DIR/flux-system/gotk-components.yaml` and `gotk-sync.yaml`:
 * that layout marks DIR as a cluster's root even where the sync itself is not committed (a
 * placeholder, or a template filled in by a script).
 */
export function bootstrapLayoutRoots(files: readonly string[]): { path: string; file: string }[] {
  const out: { path: string; file: string }[] = [];
  for (const file of files) {
    const m = /^(?:(.*)\/)?flux-system\/gotk-(?:sync|components)\.ya?ml$/.exec(file);
    if (m && !out.some((o) => o.path === (m[1] ?? ''))) out.push({ path: m[1] ?? '', file });
  }
  return out;
}

/**
 * The sync of a Flux Operator `FluxInstance` (fluxcd.controlplane.io): the operator creates a
 * source (`spec.sync.kind`, named `spec.sync.name`, default `flux-system`) and a Kustomization of
 * the same name with `spec.sync.path`. Written as a FluxInstance, or as the values of the
 * flux-instance Helm chart (`instance.sync`, in a HelmRelease or a values file).
 */
export interface InstanceRoot {
  kind: 'flux-instance';
  location: DocLocation;
  /** JSON pointer of the sync block in that document. */
  pointer: string;
  namespace: string;
  name: string;
  sourceKind: string;
  url?: string;
  ref?: string;
  path: string;
  /** `distribution.version`, as written (`2.x`, `2.4.0`, ...). */
  version?: string;
  /** `kustomize.patches`: some may target the sync Kustomization. */
  patches?: unknown[];
}

export type RootEvidence = BootstrapRoot | InstanceRoot;

const FLUX_OPERATOR_GROUP = 'fluxcd.controlplane.io';

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function instanceRoot(
  instance: Record<string, unknown> | undefined,
  location: DocLocation,
  pointer: string,
  namespace: string,
): InstanceRoot | undefined {
  const sync = instance?.sync;
  const distribution = instance?.distribution;
  const patches =
    isRecord(instance?.kustomize) && Array.isArray(instance.kustomize.patches)
      ? instance.kustomize.patches
      : undefined;
  if (!isRecord(sync)) return undefined;
  const path = str(sync.path);
  if (path === undefined || path.includes('${') || path.includes('{{')) return undefined;
  const url = str(sync.url);
  const ref = str(sync.ref);
  const version = isRecord(distribution) ? str(distribution.version) : undefined;
  return {
    kind: 'flux-instance',
    location,
    pointer,
    namespace,
    name: str(sync.name) ?? namespace,
    sourceKind: str(sync.kind) ?? 'GitRepository',
    ...(url ? { url } : {}),
    ...(ref ? { ref } : {}),
    path: normalizeSpecPath(path),
    ...(version ? { version } : {}),
    ...(patches ? { patches } : {}),
  };
}

/** The namespace a HelmRelease installs into (its targetNamespace, else its own). */
function releaseNamespace(value: Record<string, unknown>): string {
  const spec = isRecord(value.spec) ? value.spec : {};
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  return str(spec.targetNamespace) ?? str(metadata.namespace) ?? 'flux-system';
}

function evidenceOf(doc: Resource): RootEvidence | undefined {
  const location = { file: doc.file, docIndex: doc.docIndex };
  const value = doc.value;
  if (!isRecord(value)) return undefined;
  const spec = isRecord(value.spec) ? value.spec : undefined;
  if (doc.id && isFluxKustomization(doc.id)) {
    const path = normalizeSpecPath(spec?.path);
    const under = path === '' || doc.file.startsWith(`${path}/`);
    // Bootstrap syncs a Git repository (this one); a Kustomization deploying the root of an OCI
    // artifact or another source merely has a path that happens to hold its own file.
    const ref = isRecord(spec?.sourceRef) ? spec.sourceRef : {};
    const git = ref.kind === undefined || ref.kind === 'GitRepository';
    return under && git && typeof spec?.path === 'string' && !spec.path.includes('${')
      ? { kind: 'bootstrap', location, path }
      : undefined;
  }
  if (doc.id?.kind === 'FluxInstance' && doc.id.apiVersion.startsWith(`${FLUX_OPERATOR_GROUP}/`))
    return instanceRoot(spec, location, '/spec/sync', doc.id.namespace ?? 'flux-system');
  if (doc.id?.kind === 'HelmRelease') {
    const values = isRecord(spec?.values) ? spec.values : undefined;
    const instance = isRecord(values?.instance) ? values.instance : undefined;
    return instance
      ? instanceRoot(instance, location, '/spec/values/instance/sync', releaseNamespace(value))
      : undefined;
  }
  // The flux-instance chart's values file (a HelmRelease's valuesFrom, or helmfile's values):
  // not a Kubernetes object, with `instance.sync`.
  if (!doc.id && value.apiVersion === undefined && value.kind === undefined && isRecord(value.instance))
    return instanceRoot(value.instance, location, '/instance/sync', 'flux-system');
  return undefined;
}

/** Every root the repository's files declare, in file order. */
export function rootEvidence(files: readonly string[], reader: SourceReader): RootEvidence[] {
  const out: RootEvidence[] = [];
  for (const file of files)
    for (const doc of reader.get(file)?.resources ?? []) {
      const found = evidenceOf(doc);
      if (found) out.push(found);
    }
  return out;
}
