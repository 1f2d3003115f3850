import { isRecord } from '../../load/resource.js';

/** How a referenced path is used: a resource may be a file, a directory or a remote target. */
export type RefKind = 'resource' | 'component' | 'file' | 'file-or-dir';

export interface KustomizationRef {
  /** JSON pointer of the string in the kustomization, for its line. */
  pointer: string;
  value: string;
  kind: RefKind;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `key=path` or `path` (configMapGenerator / secretGenerator `files`). */
function generatorFile(entry: string): string {
  const eq = entry.indexOf('=');
  return eq >= 0 ? entry.slice(eq + 1) : entry;
}

/**
 * Every local or remote path a kustomization names, with the JSON pointer of the entry:
 * resources, bases, components, crds, patch files, generator files and env files, configurations,
 * generators, transformers, validators, replacement files and the openapi schema file.
 * (kustomize api v0.21 types; inline patches and inline generator configs name no path.)
 */
export function kustomizationRefs(k: Record<string, unknown>): KustomizationRef[] {
  const refs: KustomizationRef[] = [];
  const add = (pointer: string, value: unknown, kind: RefKind) => {
    if (typeof value === 'string' && value.trim() !== '') refs.push({ pointer, value: value.trim(), kind });
  };
  for (const [field, kind] of [
    ['resources', 'resource'],
    ['bases', 'resource'],
    ['components', 'component'],
    ['crds', 'file'],
    ['configurations', 'file'],
    ['generators', 'file-or-dir'],
    ['transformers', 'file-or-dir'],
    ['validators', 'file-or-dir'],
  ] as const) {
    list(k[field]).forEach((v, i) => {
      add(`/${field}/${i}`, v, kind);
    });
  }
  list(k.patchesStrategicMerge).forEach((v, i) => {
    // An entry with a line break or a colon is an inline patch, not a file name.
    if (typeof v === 'string' && !/[\n:]/.test(v.trim())) add(`/patchesStrategicMerge/${i}`, v, 'file');
  });
  for (const field of ['patches', 'patchesJson6902', 'replacements']) {
    list(k[field]).forEach((v, i) => {
      if (isRecord(v)) add(`/${field}/${i}/path`, v.path, 'file');
    });
  }
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    list(k[field]).forEach((g, i) => {
      if (!isRecord(g)) return;
      list(g.files).forEach((f, j) => {
        if (typeof f === 'string') add(`/${field}/${i}/files/${j}`, generatorFile(f), 'file');
      });
      list(g.envs).forEach((f, j) => {
        add(`/${field}/${i}/envs/${j}`, f, 'file');
      });
      add(`/${field}/${i}/env`, g.env, 'file');
    });
  }
  if (isRecord(k.openapi)) add('/openapi/path', k.openapi.path, 'file');
  if (isRecord(k.helmGlobals)) add('/helmGlobals/chartHome', k.helmGlobals.chartHome, 'file-or-dir');
  return refs;
}

/**
 * A remote target (kustomize's repospec / Flux's IsLocalRelativePath): git URLs, `github.com/...`,
 * or HTTP(S) files.
 */
export function isRemoteRef(value: string): boolean {
  const lower = value.toLowerCase();
  return ['git::', 'gh:', 'ssh://', 'https://', 'http://', 'git@', 'github.com:', 'github.com/'].some(
    (p) => p.length < lower.length && lower.startsWith(p),
  );
}
