// `npm run generate:schemas`: regenerates the bundled schemas and API tables under schemas/.
// Deterministic (sorted keys, reproducible gzip): CI re-runs it and fails on `git diff`.
// `--only flux|kubernetes|flux-api` limits the run.
import path from 'node:path';
import { fluxApiHistory } from './flux-api-history.js';
import { FLUX_VERSION, generateFlux } from './generate-flux.js';
import { generateKubernetes } from './generate-kubernetes.js';
import { pinnedVersions, SCHEMAS_DIR, writeGzipJson, writeJson } from './lib.js';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const want = (name: string) => !only || only.split(',').includes(name);
const minor = (v: string) => v.replace(/^v?(\d+\.\d+).*$/, '$1');

interface IndexEntry {
  file: string;
  source: 'kubernetes' | 'flux';
  version: string;
  kinds: number;
}

async function main() {
  const entries: IndexEntry[] = [];
  if (want('flux')) {
    const bundle = generateFlux();
    const file = `flux-v${minor(FLUX_VERSION)}.json.gz`;
    const size = writeGzipJson(path.join(SCHEMAS_DIR, file), {
      format: 1,
      source: 'flux',
      version: FLUX_VERSION,
      ...bundle,
    });
    entries.push({ file, source: 'flux', version: FLUX_VERSION, kinds: Object.keys(bundle.kinds).length });
    console.log(`${file}: ${Object.keys(bundle.kinds).length} kinds, ${size} bytes`);
  }
  if (want('kubernetes')) {
    const version = pinnedVersions().KUBERNETES_VERSION!;
    const bundle = await generateKubernetes();
    const file = `kubernetes-v${minor(version)}.json.gz`;
    const size = writeGzipJson(path.join(SCHEMAS_DIR, file), {
      format: 1,
      source: 'kubernetes',
      version,
      ...bundle,
    });
    entries.push({ file, source: 'kubernetes', version, kinds: Object.keys(bundle.kinds).length });
    console.log(`${file}: ${Object.keys(bundle.kinds).length} kinds, ${size} bytes`);
  }
  if (want('flux-api')) writeJson(path.join(SCHEMAS_DIR, 'flux-api-versions.json'), fluxApiHistory());
  if (entries.length > 0) mergeIndex(entries);
}

/** schemas/index.json lists the bundles; a partial run keeps the entries it did not regenerate. */
async function mergeIndex(entries: IndexEntry[]) {
  const { existsSync, readFileSync } = await import('node:fs');
  const file = path.join(SCHEMAS_DIR, 'index.json');
  const old: { bundles: IndexEntry[] } = existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8'))
    : { bundles: [] };
  const bundles = [...old.bundles.filter((b) => !entries.some((e) => e.file === b.file)), ...entries].sort(
    (a, b) => (a.file < b.file ? -1 : 1),
  );
  writeJson(file, { format: 1, bundles });
}

main().catch((error: unknown) => {
  console.error(`generate:schemas: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
