// The table of Flux API versions by Flux release since 2.0: for each release, read flux2's
// go.mod (the Flux API module versions it ships), then the kubebuilder markers of each API
// module: a root type is served unless `+kubebuilder:skipversion`, deprecated when
// `+kubebuilder:deprecatedversion`. https://book.kubebuilder.io/reference/markers/crd
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from './lib.js';

/** One release per minor: served versions change only in minor releases. */
export const FLUX_RELEASES = [
  'v2.0.0',
  'v2.1.0',
  'v2.2.3',
  'v2.3.0',
  'v2.4.0',
  'v2.5.0',
  'v2.6.0',
  'v2.7.0',
  'v2.8.0',
  'v2.9.4',
];

interface Served {
  group: string;
  version: string;
  kind: string;
  deprecated: boolean;
  storage: boolean;
}

// The checksum database does not know every old API module version; the history only reads
// kubebuilder markers from them, nothing is built.
const GO_ENV = { GOFLAGS: '-mod=mod', GONOSUMDB: 'github.com/fluxcd/*' };

function goJson(args: string[]): Record<string, unknown> {
  return JSON.parse(run('go', args, { cwd: os.tmpdir(), env: GO_ENV })) as Record<string, unknown>;
}

function apiRequirements(release: string): [string, string][] {
  const info = goJson(['list', '-m', '-json', `github.com/fluxcd/flux2/v2@${release}`]);
  const gomod = readFileSync(String(info.GoMod), 'utf8');
  const out: [string, string][] = [];
  for (const m of gomod.matchAll(/^\s*(github\.com\/fluxcd\/[\w-]+\/api(?:\/v\d+)?)\s+(v\S+)/gm))
    out.push([m[1]!, m[2]!]);
  return out;
}

function servedIn(modulePath: string, version: string): Served[] {
  const dir = String(goJson(['mod', 'download', '-json', `${modulePath}@${version}`]).Dir);
  const out: Served[] = [];
  for (const pkg of readdirSync(dir, { withFileTypes: true })) {
    if (!pkg.isDirectory() || !/^v\d/.test(pkg.name)) continue;
    const files = readdirSync(path.join(dir, pkg.name)).filter(
      (f) => f.endsWith('.go') && !f.endsWith('_test.go'),
    );
    const sources = files.map((f) => readFileSync(path.join(dir, pkg.name, f), 'utf8'));
    const gv = sources.map((s) => /Group:\s*"([^"]+)",\s*Version:\s*"([^"]+)"/.exec(s)).find(Boolean);
    if (!gv) continue;
    for (const source of sources) {
      for (const m of source.matchAll(/((?:^(?:\/\/.*)?\n)+)type (\w+) struct/gm)) {
        const [, comments, kind] = m as unknown as [string, string, string];
        if (!comments.includes('+kubebuilder:object:root=true') || kind.endsWith('List')) continue;
        if (comments.includes('+kubebuilder:skipversion')) continue;
        out.push({
          group: gv[1]!,
          version: gv[2]!,
          kind,
          deprecated: comments.includes('+kubebuilder:deprecatedversion'),
          storage: comments.includes('+kubebuilder:storageversion'),
        });
      }
    }
  }
  return out;
}

export interface FluxApiRow {
  group: string;
  kind: string;
  version: string;
  /** Flux minor releases (e.g. "2.3") that serve it. */
  servedIn: string[];
  deprecatedIn?: string;
  removedIn?: string;
  /** The version to move to: the newest release's storage version of the kind. */
  replacement?: string;
}

const minor = (release: string) => release.replace(/^v(\d+\.\d+)\..*$/, '$1');

export function fluxApiHistory(): { releases: string[]; apis: FluxApiRow[] } {
  const rows = new Map<string, FluxApiRow>();
  const storage = new Map<string, string>();
  const releases = FLUX_RELEASES.map(minor);
  for (const release of FLUX_RELEASES) {
    const r = minor(release);
    for (const [mod, version] of apiRequirements(release)) {
      for (const s of servedIn(mod, version)) {
        const key = `${s.group}/${s.version}/${s.kind}`;
        const row = rows.get(key) ?? { group: s.group, kind: s.kind, version: s.version, servedIn: [] };
        row.servedIn.push(r);
        if (s.deprecated && !row.deprecatedIn) row.deprecatedIn = r;
        if (s.storage) storage.set(`${s.group}/${s.kind}`, s.version);
        rows.set(key, row);
      }
    }
  }
  for (const row of rows.values()) {
    const last = row.servedIn.at(-1)!;
    const next = releases[releases.indexOf(last) + 1];
    if (next) row.removedIn = next;
    const newest = storage.get(`${row.group}/${row.kind}`);
    if (newest && newest !== row.version && (row.deprecatedIn || row.removedIn)) row.replacement = newest;
  }
  const apis = [...rows.values()].sort((a, b) =>
    `${a.group}/${a.kind}/${a.version}` < `${b.group}/${b.kind}/${b.version}` ? -1 : 1,
  );
  return { releases, apis };
}
