import path from 'node:path';
import { isRecord } from '../load/resource.js';
import { renderedPlace } from '../model/locate-rendered.js';
import type { RenderStage } from '../model/render-stage.js';
import { type ClusterResource, isFluxKustomization, type RenderedCluster } from '../model/types.js';
import { valueAt } from '../render/origin/pointer-translate.js';
import { repoJoin } from '../render/origin/resolve-origin.js';
import type { SourceReader } from '../render/source-reader.js';

/** `data.fluxgate.resource` (policies/schemas/data/fluxgate-data.schema.json, resourceContext). */
export interface ResourceContext {
  file: string;
  document: number;
  generated: boolean;
  generatedFromEncrypted: boolean;
  preSubstitution: Record<string, string>;
  unknown: string[];
}

/** `data.fluxgate.kustomization`: the Flux Kustomization applying the object (schema `owner`). */
export interface OwnerContext {
  apiVersion?: string;
  namespace: string;
  name: string;
  file: string;
  path?: string;
  targetNamespace?: string;
  serviceAccountName?: string;
}

type Render = Pick<RenderStage, 'builds' | 'reader'>;

/** The document the user edits for an object: its origin, else where renderedPlace puts it. */
export function homeOf(
  render: Render,
  cluster: RenderedCluster | undefined,
  resource: ClusterResource,
): { file: string; document: number } {
  const origin = resource.origin;
  if (origin?.kind === 'file') return { file: origin.file, document: origin.docIndex };
  if (origin?.kind === 'generated') return { file: origin.file, document: 0 };
  const at = renderedPlace(render, cluster, resource, '');
  return { file: at.file, document: at.docIndex };
}

/**
 * A SOPS-encrypted file: sops writes its metadata beside `ENC[...]` values, as a top-level `sops`
 * key (YAML, JSON, and binary files wrapped in JSON), or `sops_*` lines (dotenv, INI).
 * https://github.com/getsops/sops#encrypting-using-age
 */
export function isSopsEncrypted(text: string): boolean {
  if (!text.includes('ENC[')) return false;
  return (
    /^sops:[ \t]*$/m.test(text) ||
    /"sops"\s*:\s*\{/.test(text) ||
    /^sops_(mac|version|lastmodified)=/m.test(text)
  );
}

/** `key=path` or `path` of a generator's `files` entry. */
const generatorFile = (entry: string) => entry.slice(entry.indexOf('=') + 1);

/**
 * Whether a generated Secret comes from a secretGenerator whose every source file is
 * SOPS-encrypted (kustomize-controller decrypts them before the build); literals are plain.
 */
function fromEncryptedGenerator(reader: SourceReader, file: string, pointer: string, name: string): boolean {
  if (pointer !== '/secretGenerator' && !pointer.startsWith('/secretGenerator/')) return false;
  const generator = generatorEntry(valueAt(reader.document(file, 0), pointer), name);
  if (!generator) return false;
  if (Array.isArray(generator.literals) && generator.literals.length > 0) return false;
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const sources = [
    ...strings(generator.files).map(generatorFile),
    ...strings(generator.envs),
    ...(typeof generator.env === 'string' ? [generator.env] : []),
  ];
  if (sources.length === 0) return false;
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  return sources.every((source) => {
    const target = repoJoin(dir, source.trim());
    const text = target === undefined ? undefined : reader.text(target);
    return text !== undefined && isSopsEncrypted(text);
  });
}

/**
 * The generator entry that made an object: the one the origin names, else (kustomize's origin of
 * builtin generators names no entry) the entry whose name the object's name is built from
 * (`[namePrefix]<name>[nameSuffix][-<hash>]`), the longest such.
 */
function generatorEntry(found: unknown, objectName: string): Record<string, unknown> | undefined {
  if (isRecord(found)) return found;
  if (!Array.isArray(found)) return undefined;
  const candidates = found.filter(
    (g): g is Record<string, unknown> =>
      isRecord(g) && typeof g.name === 'string' && objectName.includes(g.name),
  );
  return candidates.sort((a, b) => String(b.name).length - String(a.name).length)[0];
}

/**
 * The committed strings that Flux postBuild substitution changed: for each substituted pointer,
 * the value at its source pointer in the object as kustomize built it (before substitution).
 */
function preSubstitution(render: Render, resource: ClusterResource): Record<string, string> {
  const out: Record<string, string> = {};
  if (!resource.substituted || resource.substituted.length === 0) return out;
  const before = builtObject(render, resource);
  if (!before) return out;
  for (const s of resource.substituted) {
    const value = valueAt(before, s.sourcePointer);
    if (typeof value === 'string') out[s.pointer] = value;
  }
  return out;
}

/** The kustomize output a post-built object came from (post-build keeps each object's origin). */
function builtObject(render: Render, resource: ClusterResource): Record<string, unknown> | undefined {
  const origin = resource.origin;
  if (!origin) return undefined;
  const same = (o: typeof origin | undefined) =>
    o === origin || (o !== undefined && JSON.stringify(o) === JSON.stringify(origin));
  for (const build of render.builds) {
    if (build.target.key !== resource.target) continue;
    const found = build.resources.find((r) => same(r.origin) && r.id.kind === resource.id.kind);
    if (found) return found.value;
  }
  return undefined;
}

export function resourceContext(
  render: Render,
  cluster: RenderedCluster | undefined,
  resource: ClusterResource,
): ResourceContext {
  const origin = resource.origin;
  const generated = origin?.kind === 'generated';
  return {
    ...homeOf(render, cluster, resource),
    generated,
    generatedFromEncrypted:
      generated && fromEncryptedGenerator(render.reader, origin.file, origin.pointer, resource.id.name),
    preSubstitution: preSubstitution(render, resource),
    unknown: resource.unknown ?? [],
  };
}

/** A context for an object as written (no build reads its file). */
export function writtenContext(file: string, document: number): ResourceContext {
  return {
    file,
    document,
    generated: false,
    generatedFromEncrypted: false,
    preSubstitution: {},
    unknown: [],
  };
}

/** Flux Kustomizations of a cluster by `namespace/name`, for `owner`. */
export function fluxKustomizations(cluster: RenderedCluster): Map<string, ClusterResource> {
  const out = new Map<string, ClusterResource>();
  for (const r of cluster.resources)
    if (isFluxKustomization(r.id)) {
      const key = `${r.id.namespace ?? 'default'}/${r.id.name}`;
      if (!out.has(key)) out.set(key, r);
    }
  return out;
}

export function ownerContext(
  render: Render,
  cluster: RenderedCluster,
  kustomizations: ReadonlyMap<string, ClusterResource>,
  resource: ClusterResource,
): OwnerContext | null {
  const owner = resource.appliedBy;
  if (!owner) return null;
  const ks = kustomizations.get(`${owner.namespace}/${owner.name}`);
  if (!ks) return null;
  const spec = isRecord(ks.value.spec) ? ks.value.spec : {};
  const text = (key: string) => (typeof spec[key] === 'string' ? { [key]: spec[key] as string } : {});
  return {
    apiVersion: ks.id.apiVersion,
    namespace: owner.namespace,
    name: owner.name,
    file: homeOf(render, cluster, ks).file,
    ...text('path'),
    ...text('targetNamespace'),
    ...text('serviceAccountName'),
  };
}
