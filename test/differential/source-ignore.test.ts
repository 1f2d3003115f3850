// Differential test of the artifact filter: generated trees with generated `.sourceignore` files
// and `spec.ignore` lines, listed by flux-oracle (fluxcd/pkg sourceignore v0.18 as
// source-controller's archiver applies it) and by fluxgate's listSourceFiles. They must agree on
// every path. The generator is seeded: a failure names its case number, which reproduces it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoFiles } from '../../src/git/repo-files.js';
import { listSourceFiles } from '../../src/render/workspace/source-files.js';
import { locateFluxOracle } from './oracle.js';

const oracle = locateFluxOracle();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-ignore-diff-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** mulberry32: a small seeded generator, so every case can be rebuilt from its number. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  'a',
  'b',
  'k8s',
  'apps',
  '.github',
  'x.yaml',
  'y.yml',
  'c.md',
  'logo.png',
  '.sops.yaml',
  'é.yaml',
  '#h',
];
const FILE_NAMES = [
  'x.yaml',
  'y.yml',
  'c.md',
  'logo.png',
  '.sops.yaml',
  'z.tar.gz',
  'é.yaml',
  '#h',
  'a',
  'sp ',
];
const PATTERNS = [
  '/*',
  '*',
  '!/k8s',
  '!/k8s/a',
  '!/apps/',
  'a/',
  '!a',
  '*.yaml',
  '!*.yaml',
  '**/b',
  '!**/x.yaml',
  'k8s/**/x.yaml',
  '/k8s/**',
  'apps/*/y.yml',
  '[ab]',
  '[^a]*',
  '?.md',
  '\\#h',
  '!\\#h',
  '*.md ',
  'sp\\ ',
  '/a/b/',
  '**',
  '[',
  'a/**/b/',
  '!.github/',
  'é*',
  '**/',
];

interface Case {
  files: string[];
  sourceIgnores: Record<string, string[]>;
  specIgnore: string;
}

function generate(seed: number): Case {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const files = new Set<string>();
  const dirs = new Set<string>(['']);
  const count = 3 + Math.floor(rnd() * 12);
  for (let i = 0; i < count; i++) {
    const depth = Math.floor(rnd() * 4);
    const parts = Array.from({ length: depth }, () => pick(NAMES));
    const file = [...parts, pick(FILE_NAMES)].join('/');
    // A name cannot be both a file and a directory.
    const prefixes = parts.map((_, j) => parts.slice(0, j + 1).join('/'));
    if (prefixes.some((p) => files.has(p)) || dirs.has(file)) continue;
    files.add(file);
    for (const p of prefixes) dirs.add(p);
  }
  const sourceIgnores: Record<string, string[]> = {};
  for (const dir of dirs)
    if (rnd() < 0.3)
      sourceIgnores[dir] = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick(PATTERNS));
  const spec = rnd() < 0.5 ? Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick(PATTERNS)) : [];
  return { files: [...files].sort(), sourceIgnores, specIgnore: spec.join('\n') };
}

function write(root: string, c: Case): void {
  for (const file of c.files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), 'x: 1\n');
  }
  for (const [dir, lines] of Object.entries(c.sourceIgnores)) {
    mkdirSync(path.join(root, dir), { recursive: true });
    writeFileSync(path.join(root, dir, '.sourceignore'), `# generated\n${lines.join('\n')}\n`);
  }
}

function oracleListing(root: string, specIgnore: string): string[] {
  const run = spawnSync(oracle.path!, ['--list-artifact', '--source-root', root, '--ignore', specIgnore], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`flux-oracle --list-artifact: exit ${run.status}\n${run.stderr}`);
  return run.stdout
    .split('\n')
    .filter((l) => l !== '')
    .sort();
}

async function fluxgateListing(root: string, specIgnore: string): Promise<string[]> {
  const repo = await repoFiles(root, 'export');
  return listSourceFiles(root, { specIgnore, repo })
    .entries.map((e) => (e.kind === 'dir' ? `${e.rel}/` : e.rel))
    .sort();
}

const CASES = 300;

describe('differential: the artifact filter is fluxcd/pkg sourceignore (flux-oracle --list-artifact)', () => {
  it(`agrees on ${CASES} generated trees, .sourceignore files and spec.ignore lines`, async () => {
    if (!oracle.path) throw new Error(oracle.problem);
    const disagreements: string[] = [];
    for (let seed = 1; seed <= CASES; seed++) {
      const c = generate(seed);
      const root = path.join(scratch, String(seed));
      mkdirSync(root);
      write(root, c);
      const want = oracleListing(root, c.specIgnore);
      const got = await fluxgateListing(root, c.specIgnore);
      if (JSON.stringify(want) !== JSON.stringify(got))
        disagreements.push(
          `case ${seed}: ${JSON.stringify(c)}\n  flux:     ${want.join(' ')}\n  fluxgate: ${got.join(' ')}`,
        );
    }
    expect(disagreements, disagreements.slice(0, 3).join('\n')).toEqual([]);
    // 600 processes (the oracle and git per tree): 20 s on an idle 2-core machine, 75 s busy.
  }, 600_000);

  it('keeps a subtree that a negation brings back below an excluded parent (/* then !/k8s/global)', async () => {
    if (!oracle.path) throw new Error(oracle.problem);
    const root = path.join(scratch, 'negation');
    write(root, {
      files: ['k8s/global/a.yaml', 'k8s/clusters/one/b.yaml', 'k8s/clusters/two/c.yaml', 'README.md'],
      sourceIgnores: {},
      specIgnore: '',
    });
    const spec = '/*\n!/k8s/global\n!/k8s/clusters/one\n/k8s/**/*.md';
    const got = await fluxgateListing(root, spec);
    expect(got).toEqual(oracleListing(root, spec));
    expect(got).toEqual([
      'k8s/',
      'k8s/clusters/',
      'k8s/clusters/one/',
      'k8s/clusters/one/b.yaml',
      'k8s/global/',
      'k8s/global/a.yaml',
    ]);
  });
});
