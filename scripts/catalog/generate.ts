// `npm run generate:catalog`: the catalog of custom resource schemas (schemas/catalog/), from
// the released CRDs of each project in sources.ts, fetched as Go module zips through the Go
// module proxy. Deterministic: sorted keys, reproducible gzip, nothing from the clock.
//   --only a,b   regenerate these projects, keep the others' files and index entries
//   --check      CI: regenerate into a temporary directory and fail when it differs
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SCHEMAS_DIR, stableJson, writeGzipJson, writeJson } from '../schemas/lib.js';
import { type CatalogCrd, crdsOf, spdxOf } from './convert.js';
import { downloadModule } from './go-module.js';
import { moduleZipEntries } from './module-zip.js';
import { CATALOG_SOURCES, type CatalogSource } from './sources.js';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]?.split(',') : undefined;
const check = args.includes('--check');

/** One release of a project in schemas/catalog/index.json. */
interface IndexRelease {
  version: string;
  /** The Go module it was read from (a major version may live under another path). */
  module: string;
  /** go.sum hash of the module zip the CRDs were read from. */
  sum: string;
  /** The CRD files read, inside the module. */
  files: string[];
  /** API group -> its file (relative to schemas/catalog/): loaded when a kind of the group is looked up. */
  groups: Record<string, string>;
  /** `<group>/<version>/<Kind>` of every served version. */
  kinds: string[];
}

interface IndexProject {
  project: string;
  module: string;
  licence: string;
  charts: string[];
  repos: string[];
  forks: string[];
  releases: IndexRelease[];
}

function readRelease(
  source: CatalogSource,
  version: string,
): { release: IndexRelease; groups: Map<string, CatalogCrd[]> } {
  const mod = downloadModule(source.moduleOf?.[version] ?? source.module, version);
  const entries = moduleZipEntries(mod.zip);
  const licence = entries.find((e) => /^(LICENSE|LICENCE|COPYING)(\.md|\.txt)?$/i.test(e.name));
  const spdx = licence ? spdxOf(licence.read().toString('utf8')) : undefined;
  if (spdx !== source.licence)
    throw new Error(
      `${source.module}@${version}: licence is ${spdx ?? 'unknown'}, sources.ts says ${source.licence}`,
    );
  const wanted = entries
    .filter((e) => source.paths.some((p) => (p.endsWith('/') ? e.name.startsWith(p) : e.name === p)))
    .filter(
      (e) => /\.ya?ml$/.test(e.name) && (!source.match || source.match.test(path.posix.basename(e.name))),
    )
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const crds = new Map<string, CatalogCrd>();
  const files: string[] = [];
  for (const entry of wanted) {
    const found = crdsOf(entry.read().toString('utf8'), entry.name);
    if (found.length > 0) files.push(entry.name);
    for (const crd of found) {
      const seen = crds.get(crd.name);
      if (seen && stableJson(seen) !== stableJson(crd))
        throw new Error(`${source.module}@${version}: ${crd.name} is defined twice, differently`);
      crds.set(crd.name, crd);
    }
  }
  if (crds.size === 0)
    throw new Error(`${source.module}@${version}: no CRD under ${source.paths.join(', ')}`);
  const release: IndexRelease = { version, module: mod.path, sum: mod.sum, files, groups: {}, kinds: [] };
  const groups = new Map<string, CatalogCrd[]>();
  for (const crd of [...crds.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    groups.set(crd.group, [...(groups.get(crd.group) ?? []), crd]);
    release.groups[crd.group] = `${source.project}/${version}/${crd.group}.json.gz`;
    for (const v of Object.keys(crd.versions)) release.kinds.push(`${crd.group}/${v}/${crd.kind}`);
  }
  release.kinds.sort();
  return { release, groups };
}

/**
 * One group's file: the schema of each served version as a definition `<version>/<Kind>`, and
 * each kind's entry (the bundled schemas' format, so one loader reads both).
 */
function groupFile(project: string, version: string, group: string, crds: CatalogCrd[]) {
  const definitions: Record<string, unknown> = {};
  const kinds: Record<string, { ref: string; namespaced: boolean }> = {};
  for (const crd of crds)
    for (const [v, schema] of Object.entries(crd.versions)) {
      definitions[`${v}/${crd.kind}`] = schema;
      kinds[`${group}/${v}/${crd.kind}`] = { ref: `${v}/${crd.kind}`, namespaced: crd.namespaced };
    }
  return { format: 1, source: 'catalog', project, version, group, definitions, kinds };
}

function generate(outDir: string, sources: CatalogSource[], keep: IndexProject[]): void {
  const projects = [...keep];
  for (const source of sources) {
    rmSync(path.join(outDir, source.project), { recursive: true, force: true });
    const releases: IndexRelease[] = [];
    for (const version of source.versions) {
      const { release, groups } = readRelease(source, version);
      let bytes = 0;
      for (const [group, crds] of groups)
        bytes += writeGzipJson(
          path.join(outDir, release.groups[group]!),
          groupFile(source.project, version, group, crds),
        );
      releases.push(release);
      console.log(
        `${source.project} ${version}: ${groups.size} groups, ${release.kinds.length} kinds, ${bytes} bytes`,
      );
    }
    projects.push({
      project: source.project,
      module: source.module,
      licence: source.licence,
      charts: source.charts ?? [],
      repos: source.repos ?? [],
      forks: source.forks ?? [],
      releases,
    });
  }
  projects.sort((a, b) => (a.project < b.project ? -1 : 1));
  writeJson(path.join(outDir, 'index.json'), { format: 1, projects });
}

/** Every file under a directory, relative, sorted. */
function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? listFiles(full, `${prefix}${name}/`) : [`${prefix}${name}`];
    });
}

function main(): void {
  const dir = path.join(SCHEMAS_DIR, 'catalog');
  const indexFile = path.join(dir, 'index.json');
  const old: IndexProject[] = existsSync(indexFile)
    ? JSON.parse(readFileSync(indexFile, 'utf8')).projects
    : [];
  const unknown = only?.filter((p) => !CATALOG_SOURCES.some((s) => s.project === p)) ?? [];
  if (unknown.length > 0) throw new Error(`--only: no project ${unknown.join(', ')} in sources.ts`);
  const sources = CATALOG_SOURCES.filter((s) => !only || only.includes(s.project));
  const keep = only ? old.filter((p) => !only.includes(p.project)) : [];
  if (!check) {
    if (!only) rmSync(dir, { recursive: true, force: true });
    generate(dir, sources, keep);
    return;
  }
  // --check: the same run into a copy; any difference in a file's bytes is a failure.
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-catalog-check-'));
  try {
    if (only && existsSync(dir)) cpSync(dir, tmp, { recursive: true });
    generate(tmp, sources, keep);
    const a = listFiles(dir);
    const b = listFiles(tmp);
    const differ = [...new Set([...a, ...b])].filter(
      (f) =>
        !a.includes(f) ||
        !b.includes(f) ||
        !readFileSync(path.join(dir, f)).equals(readFileSync(path.join(tmp, f))),
    );
    if (differ.length > 0) {
      console.error(`schemas/catalog differs from what sources.ts generates:\n  ${differ.join('\n  ')}`);
      console.error("run 'npm run generate:catalog' and commit");
      process.exitCode = 1;
    } else console.log('schemas/catalog is what sources.ts generates');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  console.error(`generate:catalog: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
