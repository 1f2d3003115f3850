import path from 'node:path';
import { isRecord } from '../../load/resource.js';
import type { SourceReader } from '../source-reader.js';
import type { ResourceOrigin } from '../types.js';
import type { RawOrigin } from './origin-annotation.js';

function nameOf(value: unknown): string | undefined {
  const metadata = isRecord(value) ? value.metadata : undefined;
  return isRecord(metadata) && typeof metadata.name === 'string' ? metadata.name : undefined;
}

/**
 * The document of `file` a rendered object came from: same kind and name, else the same kind
 * whose name the rendered name contains (namePrefix/nameSuffix), else the only one of that kind.
 */
export function findDocument(reader: SourceReader, file: string, object: Record<string, unknown>): number {
  const docs = reader.get(file)?.resources ?? [];
  // The same kind of the same API group (a core ServiceAccount and a talos.dev one of one name
  // are two objects); the group alone when no document has it (a patch changed the version).
  const group = (v: unknown) => (typeof v === 'string' && v.includes('/') ? v.slice(0, v.indexOf('/')) : '');
  const ofKind = docs.filter((d) => isRecord(d.value) && d.value.kind === object.kind);
  const sameGroup = ofKind.filter(
    (d) => group((d.value as Record<string, unknown>).apiVersion) === group(object.apiVersion),
  );
  const sameKind = sameGroup.length > 0 ? sameGroup : ofKind;
  const name = nameOf(object) ?? '';
  const exact = sameKind.find((d) => nameOf(d.value) === name);
  if (exact) return exact.docIndex;
  const contained = sameKind
    .filter((d) => (nameOf(d.value) ?? '\0') !== '' && name.includes(nameOf(d.value) ?? '\0'))
    .sort((a, b) => (nameOf(b.value)?.length ?? 0) - (nameOf(a.value)?.length ?? 0));
  return contained[0]?.docIndex ?? sameKind[0]?.docIndex ?? docs[0]?.docIndex ?? 0;
}

/** `path` relative to a directory of the repository, as a repo-relative path (undefined if it leaves the repo). */
export function repoJoin(dir: string, relative: string): string | undefined {
  const joined = path.posix.normalize(path.posix.join(dir === '' ? '.' : dir, relative));
  if (joined === '..' || joined.startsWith('../') || path.posix.isAbsolute(joined)) return undefined;
  return joined === '.' ? '' : joined;
}

/**
 * Turns kustomize's origin (relative to the built directory `dir`, repo-relative) into a place in
 * the repository: a document of a file, a generator entry, or a remote file.
 */
export function resolveOrigin(
  raw: RawOrigin | undefined,
  object: Record<string, unknown>,
  dir: string,
  reader: SourceReader,
): ResourceOrigin | undefined {
  if (!raw) return undefined;
  if (raw.repo)
    return { kind: 'remote', repo: raw.repo, path: raw.path ?? '', ...(raw.ref ? { ref: raw.ref } : {}) };
  if (raw.configuredIn) {
    const file = repoJoin(dir, raw.configuredIn);
    if (file === undefined) return undefined;
    return { kind: 'generated', file, pointer: generatorPointer(reader, file, raw) };
  }
  if (!raw.path) return undefined;
  const file = repoJoin(dir, raw.path);
  if (file === undefined) return undefined;
  return { kind: 'file', file, docIndex: findDocument(reader, file, object) };
}

/** `/configMapGenerator/2` for the generator entry that made the object. */
function generatorPointer(reader: SourceReader, file: string, raw: RawOrigin): string {
  const kind = raw.configuredBy?.kind ?? '';
  const field =
    kind === 'SecretGenerator'
      ? 'secretGenerator'
      : kind === 'ConfigMapGenerator'
        ? 'configMapGenerator'
        : '';
  const k = reader.document(file, 0);
  if (!field || !isRecord(k) || !Array.isArray(k[field])) return '';
  const index = (k[field] as unknown[]).findIndex((g) => isRecord(g) && g.name === raw.configuredBy?.name);
  return index >= 0 ? `/${field}/${index}` : `/${field}`;
}
