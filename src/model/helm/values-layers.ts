import path from 'node:path';
import { parse } from 'yaml';
import type { ResourceId } from '../../core/diagnostic.js';
import { isRecord } from '../../load/resource.js';
import type { HelmRenderRequest } from '../../render/helm/helm-protocol.js';
import type { SourceReader } from '../../render/source-reader.js';
import { configMapData, secretData } from '../../render/varsub/resolve-variables.js';
import type { ClusterResource, RenderedCluster, ValuesLayer } from '../types.js';
import type { ChartSource } from './chart-source.js';
import type { HelmReleaseSpec } from './helm-release-spec.js';

/** A valuesFrom entry Flux cannot resolve: the release fails (refs/values-from-not-found reports it). */
export interface ValuesFailure {
  index: number;
  message: string;
}

/** A valuesFrom source whose data fluxgate cannot read (SOPS-encrypted): left out of the render. */
export interface UnknownValues {
  index: number;
  kind: string;
  name: string;
  reason: string;
}

export interface ReleaseValues {
  valuesFrom: NonNullable<HelmRenderRequest['valuesFrom']>;
  values?: Record<string, unknown>;
  /** Where the values are written, lowest precedence first. */
  layers: ValuesLayer[];
  unknown: UnknownValues[];
  failure?: ValuesFailure;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `a.b\.c[0]` (Helm's --set path syntax) as JSON pointer segments. */
export function targetPathSegments(targetPath: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < targetPath.length; i++) {
    const c = targetPath[i]!;
    if (c === '\\' && i + 1 < targetPath.length) current += targetPath[++i];
    else if (c === '.') {
      out.push(current);
      current = '';
    } else if (c === '[') {
      const end = targetPath.indexOf(']', i);
      if (current !== '') out.push(current);
      out.push(targetPath.slice(i + 1, end < 0 ? undefined : end));
      current = '';
      i = end < 0 ? targetPath.length : end;
      if (targetPath[i + 1] === '.') i++;
    } else current += c;
  }
  if (current !== '') out.push(current);
  return out;
}

/**
 * The values file a configMapGenerator entry reads for `key` (`files: [values.yaml]` or
 * `[key=path]`), repo-relative: the file the user edits for a generated ConfigMap's values.
 */
function generatorFile(reader: SourceReader, object: ClusterResource, key: string): string | undefined {
  const origin = object.origin;
  if (origin?.kind !== 'generated') return undefined;
  let at: unknown = reader.document(origin.file, 0);
  for (const segment of origin.pointer.split('/').slice(1))
    at = isRecord(at) || Array.isArray(at) ? (at as Record<string, unknown>)[segment] : undefined;
  // The origin names the generator list: the entry is the one of this object's name (before the hash suffix).
  const entries = Array.isArray(at) ? at : [at];
  const entry = entries.find(
    (e) =>
      isRecord(e) &&
      typeof e.name === 'string' &&
      (object.id.name === e.name || object.id.name.startsWith(`${e.name}-`)),
  );
  const files = isRecord(entry) && Array.isArray(entry.files) ? entry.files : [];
  for (const f of files) {
    if (typeof f !== 'string') continue;
    const eq = f.indexOf('=');
    const name = eq >= 0 ? f.slice(0, eq) : path.posix.basename(f);
    if (name !== key) continue;
    const file = path.posix.normalize(
      path.posix.join(path.posix.dirname(origin.file), eq >= 0 ? f.slice(eq + 1) : f),
    );
    return reader.get(file) ? file : undefined;
  }
  return undefined;
}

function findObject(
  cluster: RenderedCluster,
  kind: string,
  namespace: string,
  name: string,
): ClusterResource | undefined {
  return cluster.resources.find(
    (r) =>
      r.id.kind === kind &&
      r.id.apiVersion === 'v1' &&
      (r.id.namespace ?? 'default') === namespace &&
      r.id.name === name,
  );
}

function parsed(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

/**
 * spec.valuesFrom resolved in the cluster as fluxcd/pkg/chartutil ChartValuesFromReferences reads
 * them (the ConfigMap or Secret in the HelmRelease's namespace, `valuesKey` default `values.yaml`,
 * `optional` ones skipped when absent), and spec.values; with where each layer is written.
 */
export function releaseValues(
  release: HelmReleaseSpec,
  hr: ClusterResource,
  cluster: RenderedCluster,
  reader: SourceReader,
): ReleaseValues {
  const out: ReleaseValues = { valuesFrom: [], layers: [], unknown: [] };
  const refs = Array.isArray(release.spec.valuesFrom) ? release.spec.valuesFrom : [];
  for (const [index, raw] of refs.entries()) {
    const ref = isRecord(raw) ? raw : {};
    const kind = str(ref.kind) ?? '';
    const name = str(ref.name) ?? '';
    const key = str(ref.valuesKey) ?? 'values.yaml';
    const optional = ref.optional === true;
    const targetPath = str(ref.targetPath);
    const what = `${kind} chart values reference '${release.namespace}/${name}' with key '${key}'`;
    const object =
      kind === 'ConfigMap' || kind === 'Secret'
        ? findObject(cluster, kind, release.namespace, name)
        : undefined;
    if (!object) {
      if (optional) continue;
      out.failure = { index, message: `could not resolve ${what}: resource not found` };
      return out;
    }
    const data = kind === 'Secret' ? secretData(object.value) : configMapData(object.value);
    if (!data.ok) {
      out.unknown.push({ index, kind, name, reason: data.reason });
      continue;
    }
    const text = data.data.get(key);
    if (text === undefined) {
      if (optional) continue;
      out.failure = { index, message: `could not resolve ${what}: key not found` };
      return out;
    }
    out.valuesFrom.push({
      data: text,
      ...(targetPath ? { targetPath } : {}),
      ...(ref.literal === true ? { literal: true } : {}),
    });
    const id: ResourceId = object.id;
    const inStringData = isRecord(object.value.stringData) && Object.hasOwn(object.value.stringData, key);
    const pointer = `/${kind === 'Secret' && !inStringData ? 'data' : kind === 'Secret' ? 'stringData' : 'data'}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    const file = generatorFile(reader, object, key);
    if (targetPath)
      out.layers.push({ object: id, pointer, targetPath: targetPathSegments(targetPath), values: text });
    else if (file) out.layers.push({ file, pointer: '', values: parsed(text) });
    else if (kind === 'Secret' && !inStringData)
      out.layers.push({ object: id, pointer, values: parsed(text) });
    else out.layers.push({ object: id, pointer, embedded: true, values: parsed(text) });
  }
  if (isRecord(release.spec.values)) {
    out.values = release.spec.values;
    out.layers.push({ object: hr.id, pointer: '/spec/values', values: release.spec.values });
  }
  return out;
}

/** The values files of a chart read from the repository (valuesFiles, else its values.yaml). */
export function chartValueLayers(
  source: Extract<ChartSource, { kind: 'local' | 'remote' }>,
  root: string,
  reader: SourceReader,
): ValuesLayer[] {
  if (source.kind !== 'local' || source.repoPath === undefined) return [];
  const base = path.relative(root, source.sourceRoot).split(path.sep).join('/');
  const files =
    source.valuesFiles.files.length > 0
      ? source.valuesFiles.files.map((f) => path.posix.normalize(path.posix.join(base, f)))
      : [path.posix.join(source.repoPath, 'values.yaml')];
  return files.flatMap((file) => {
    const doc = reader.document(file, 0);
    return doc === undefined ? [] : [{ file, pointer: '', values: doc }];
  });
}
