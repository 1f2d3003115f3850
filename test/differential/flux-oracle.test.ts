// Differential tests: every fixture under test/fixtures/differential/<case>/ is rendered by
// flux-oracle (tools/flux-oracle: kustomize-controller v1.9.4's own library code, fluxcd/pkg
// kustomize v1.35.4) and by fluxgate, and the two must agree, compared as sets of objects keyed by
// apiVersion/kind/namespace/name. A fixture holds:
//   source/           the source root (the artifact; never modified by either side)
//   flux-ks.yaml      the Flux Kustomization (kustomize.toolkit.fluxcd.io/v1)
//   var-sources.yaml  optional: ConfigMaps/Secrets for spec.postBuild.substituteFrom
//   expect.yaml       what the oracle must show, written down from the Flux source:
//                       error: <text>       the build fails, the oracle's error contains <text>
//                       strict: false       render without StrictPostBuildSubstitutions
//                       contains: [{id, fields: {<JSON pointer>: value}}], absent: [id], count: n
//                       fluxgate: {ok, findings: [ruleId]}   a deliberate difference, with the
//                         reason in a comment: fluxgate's outcome and the findings it must report
// The oracle binary comes from the tools cache (`npm run tools`); FLUXGATE_FLUX_ORACLE overrides it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { locateFluxOracle } from './oracle.js';
import { renderWithFluxgate } from './render-adapter.js';

const PROJECT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(PROJECT, 'test/fixtures/differential');

type Obj = Record<string, unknown>;

interface Expectations {
  error?: string;
  strict?: boolean;
  contains?: { id: string; fields?: Record<string, unknown> }[];
  absent?: string[];
  count?: number;
  fluxgate?: { ok: boolean; findings?: string[] };
}

const oracle = locateFluxOracle();

function readObjects(file: string): Obj[] {
  if (!existsSync(file)) return [];
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => doc.toJS() as unknown)
    .filter((value): value is Obj => value !== null && typeof value === 'object');
}

type OracleResult = { ok: true; objects: Obj[] } | { ok: false; error: string };

function runOracle(dir: string, strict: boolean): OracleResult {
  const args = [
    '--output',
    'json',
    `--strict=${strict}`,
    '--source-root',
    path.join(dir, 'source'),
    '--kustomization',
    path.join(dir, 'flux-ks.yaml'),
  ];
  if (existsSync(path.join(dir, 'var-sources.yaml')))
    args.push('--var-source', path.join(dir, 'var-sources.yaml'));
  const run = spawnSync(oracle.path!, args, { encoding: 'utf8', timeout: 60_000 });
  if (run.status === 1) return { ok: false, error: run.stderr.trim() };
  if (run.status !== 0) throw new Error(`flux-oracle ${args.join(' ')}: exit ${run.status}\n${run.stderr}`);
  const list = JSON.parse(run.stdout) as { items?: Obj[] };
  return { ok: true, objects: list.items ?? [] };
}

const record = (value: unknown): Obj =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};

function idOf(object: Obj): string {
  const m = record(object.metadata);
  return `${object.apiVersion}/${object.kind}/${typeof m.namespace === 'string' ? m.namespace : ''}/${m.name}`;
}

/** Annotations fluxgate (or kustomize for fluxgate) may add that Flux's output does not have. */
function fluxgateOnly(key: string): boolean {
  return (
    key === 'config.kubernetes.io/origin' ||
    key.startsWith('internal.config.kubernetes.io/') ||
    key.startsWith('fluxgate.')
  );
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Obj)[k])]),
    );
  return value;
}

function normalize(object: Obj): Obj {
  const copy = structuredClone(object);
  const metadata = record(copy.metadata);
  const annotations = record(metadata.annotations);
  for (const key of Object.keys(annotations)) if (fluxgateOnly(key)) delete annotations[key];
  if (metadata.annotations !== undefined && Object.keys(annotations).length === 0)
    delete metadata.annotations;
  return sortKeys(copy) as Obj;
}

function keyed(objects: Obj[]): Record<string, Obj> {
  const out: Record<string, Obj> = {};
  for (const o of objects) out[idOf(o)] = normalize(o);
  return out;
}

function at(value: unknown, pointer: string): unknown {
  let current = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current)) current = current[Number(key)];
    else current = record(current)[key];
  }
  return current;
}

const cases = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function requireOracle(): void {
  if (!oracle.path) throw new Error(oracle.problem);
}

describe('differential: fluxgate renders what kustomize-controller v1.9.4 renders (flux-oracle)', () => {
  it('has fixtures', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  for (const name of cases) {
    const dir = path.join(FIXTURES, name);
    const expectations = (
      existsSync(path.join(dir, 'expect.yaml'))
        ? parse(readFileSync(path.join(dir, 'expect.yaml'), 'utf8'))
        : {}
    ) as Expectations;
    const strict = expectations.strict ?? true;

    describe(name, () => {
      it('flux-oracle shows what the fixture expects', () => {
        requireOracle();
        const result = runOracle(dir, strict);
        if (expectations.error !== undefined) {
          expect(result.ok, 'the oracle should fail').toBe(false);
          if (!result.ok) expect(result.error).toContain(expectations.error);
          return;
        }
        if (!result.ok) throw new Error(`flux-oracle failed: ${result.error}`);
        const byId = keyed(result.objects);
        for (const want of expectations.contains ?? []) {
          expect(Object.keys(byId), `rendered ids`).toContain(want.id);
          for (const [pointer, value] of Object.entries(want.fields ?? {}))
            expect(at(byId[want.id], pointer), `${want.id} ${pointer}`).toEqual(value);
        }
        for (const id of expectations.absent ?? []) expect(Object.keys(byId)).not.toContain(id);
        if (expectations.count !== undefined) expect(result.objects).toHaveLength(expectations.count);
      });

      it('fluxgate renders the same objects', async () => {
        requireOracle();
        const want = runOracle(dir, strict);
        const [kustomization] = readObjects(path.join(dir, 'flux-ks.yaml'));
        const got = await renderWithFluxgate({
          sourceRoot: path.join(dir, 'source'),
          kustomization: kustomization!,
          varSources: readObjects(path.join(dir, 'var-sources.yaml')),
          strict,
        });
        if (expectations.fluxgate) {
          expect(got.ok, got.error).toBe(expectations.fluxgate.ok);
          const ruleIds = got.findings.map((f) => f.ruleId);
          for (const ruleId of expectations.fluxgate.findings ?? []) expect(ruleIds).toContain(ruleId);
          if (!want.ok || !got.ok) return;
        }
        if (!want.ok) {
          expect(
            got.ok ? 'fluxgate rendered' : 'fluxgate failed',
            `flux-oracle failed with: ${want.error}`,
          ).toBe('fluxgate failed');
          return;
        }
        if (!got.ok) throw new Error(`fluxgate failed where Flux renders:\n${got.error}`);
        const oracleById = keyed(want.objects);
        const fluxgateById = keyed(got.objects);
        expect(Object.keys(fluxgateById).sort(), 'rendered ids').toEqual(Object.keys(oracleById).sort());
        expect(fluxgateById).toEqual(oracleById);
      });
    });
  }
});
