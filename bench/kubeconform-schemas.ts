import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The layout of schemas/*.json.gz (see src/schema/bundled.ts). */
interface BundleFile {
  definitions: Record<string, unknown>;
  kinds: Record<string, { ref: string }>;
}

/**
 * Writes fluxgate's bundled schemas as a kubeconform schema directory, one self-contained file per
 * kind named as kubeconform's `{{ .ResourceKind }}{{ .KindSuffix }}.json` (kind lower-cased, then
 * `-<first label of the group>-<version>`, e.g. `deployment-apps-v1.json`, `helmrelease-helm-v2.json`),
 * so kubeconform and fluxgate check against the same schemas. Returns the number of files.
 */
export function writeKubeconformSchemas(schemasDir: string, outDir: string, extra: string[] = []): number {
  mkdirSync(outDir, { recursive: true });
  const written = new Set<string>();
  const bundles = readdirSync(schemasDir)
    .filter((f) => f.endsWith('.json.gz'))
    .sort()
    .map((f) => path.join(schemasDir, f));
  // Catalog group files (schemas/catalog/<project>/<version>/<group>.json.gz) have the same layout.
  for (const file of [...bundles, ...extra]) {
    const bundle = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as BundleFile;
    for (const [gvk, { ref }] of Object.entries(bundle.kinds)) {
      const name = fileName(gvk);
      // The first group label is not unique across groups; kubeconform would load the first too.
      if (written.has(name) || !bundle.definitions[ref]) continue;
      const definitions = closure(bundle.definitions, ref);
      const root = bundle.definitions[ref] as Record<string, unknown>;
      writeFileSync(path.join(outDir, name), JSON.stringify({ ...root, definitions }));
      written.add(name);
    }
  }
  return written.size;
}

function fileName(gvk: string): string {
  const parts = gvk.split('/');
  const kind = parts.pop() ?? '';
  const version = parts.pop() ?? '';
  const group = parts.join('/').split('.')[0] ?? '';
  return `${kind.toLowerCase()}${group ? `-${group.toLowerCase()}` : ''}-${version.toLowerCase()}.json`;
}

/** The definitions reachable from `start` through `#/definitions/...` references. */
function closure(all: Record<string, unknown>, start: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const queue = [start];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (name in out || !(name in all)) continue;
    out[name] = all[name];
    for (const m of JSON.stringify(all[name]).matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) {
      queue.push((m[1] ?? '').replaceAll('~1', '/').replaceAll('~0', '~'));
    }
  }
  return out;
}
