import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { packageFile } from '../core/package-files.js';
import type { KindSchema, SchemaSet, StructuralSchema } from './types.js';

/** schemas/index.json, written by scripts/schemas/generate.ts. */
export interface BundleIndex {
  format: 1;
  bundles: { file: string; source: 'kubernetes' | 'flux'; version: string; kinds: number }[];
}

interface BundleFile {
  format: 1;
  source: 'kubernetes' | 'flux';
  version: string;
  definitions: Record<string, StructuralSchema>;
  kinds: Record<string, { ref: string; namespaced?: boolean }>;
}

export interface Bundle {
  source: 'kubernetes' | 'flux';
  version: string;
  set: SchemaSet;
  kinds: Map<string, KindSchema>;
}

const loaded = new Map<string, Bundle>();

export function readBundleIndex(dir = packageFile('schemas')): BundleIndex {
  const file = `${dir}/index.json`;
  if (!existsSync(file)) return { format: 1, bundles: [] };
  return JSON.parse(readFileSync(file, 'utf8')) as BundleIndex;
}

/** Loads (once per process) one gzip'd bundle; its definitions are shared by all its kinds. */
export function loadBundle(file: string, dir = packageFile('schemas')): Bundle {
  const path = `${dir}/${file}`;
  let bundle = loaded.get(path);
  if (bundle) return bundle;
  const data = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as BundleFile;
  const set: SchemaSet = {
    id: `bundle/${file.replace(/\.json\.gz$/, '')}`,
    origin: `bundled ${data.source} ${data.version} schemas`,
    dialect: 'structural',
    definitions: data.definitions,
  };
  const kinds = new Map(Object.entries(data.kinds).map(([k, v]) => [k, { set, ref: v.ref }]));
  bundle = { source: data.source, version: data.version, set, kinds };
  loaded.set(path, bundle);
  return bundle;
}

/** Minor version ("1.37") of "v1.37.2" or "1.37". */
export function minorOf(version: string): string {
  return version.replace(/^v?(\d+\.\d+).*$/, '$1');
}

/**
 * The bundled Kubernetes schemas for a version: the exact minor when bundled, else the
 * newest bundled (undefined when none is bundled).
 */
export function kubernetesBundle(version: string | undefined, dir?: string): Bundle | undefined {
  const all = readBundleIndex(dir).bundles.filter((b) => b.source === 'kubernetes');
  const exact = version && all.find((b) => minorOf(b.version) === minorOf(version));
  const newest = [...all].sort((a, b) => compareVersions(b.version, a.version))[0];
  const pick = exact || newest;
  return pick ? loadBundle(pick.file, dir) : undefined;
}

export function fluxBundles(dir?: string): Bundle[] {
  return readBundleIndex(dir)
    .bundles.filter((b) => b.source === 'flux')
    .map((b) => loadBundle(b.file, dir));
}

export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
