/**
 * `npm run bench`: runs fluxgate and its peers side by side on one generated fleet, alternating
 * runs, and prints medians, spread and ratios. Results are appended to bench/results.jsonl with
 * the machine's description, so regressions are visible. Absolute times vary between machines;
 * ratios measured in the same run do not.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FLEET, generateFleet } from './fleet.js';
import { measure, median, type Sample, spread } from './measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '..');
const reps = Number(process.env.BENCH_REPS ?? 5);

interface Case {
  name: string;
  command: string[];
  /** Ratios are printed against this case. */
  baseline?: string;
}

const fleetDir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-bench-'));
const fleet = generateFleet(fleetDir, DEFAULT_FLEET);
const fluxgate = ['node', path.join(projectRoot, 'bin/fluxgate.js')];

const cases: Case[] = [
  { name: 'floor: node start-up', command: ['node', '-e', '0'] },
  {
    name: 'peer: parse all YAML with js-yaml',
    command: ['node', path.join(here, 'parse-all.mjs'), 'js-yaml', fleetDir],
  },
  {
    name: 'peer: parse all YAML with yaml',
    command: ['node', path.join(here, 'parse-all.mjs'), 'yaml', fleetDir],
  },
  {
    name: 'fluxgate validate (load stage)',
    command: [...fluxgate, 'validate', '--format', 'json', fleetDir],
    baseline: 'peer: parse all YAML with js-yaml',
  },
];

const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
for (let rep = 0; rep < reps; rep++) {
  // Alternate the order so drift (thermal, page cache) does not favour one case.
  const order = rep % 2 === 0 ? cases : [...cases].reverse();
  for (const c of order) samples.get(c.name)!.push(measure(c.command, { cwd: fleetDir }));
}

const summary = cases.map((c) => {
  const s = samples.get(c.name)!;
  const wall = median(s.map((x) => x.wallMs));
  return {
    name: c.name,
    wallMs: Math.round(wall),
    wallSpreadMs: Math.round(spread(s.map((x) => x.wallMs))),
    cpuMs: Math.round(median(s.map((x) => x.cpuMs))),
    peakMb: Math.round(median(s.map((x) => x.peakMb))),
    baseline: c.baseline,
  };
});

console.log(`fleet: ${fleet.files} files, ~${fleet.resources} rendered resources; ${reps} runs each`);
console.log(
  `${'case'.padEnd(42)} ${'wall ms'.padStart(9)} ${'±'.padStart(6)} ${'cpu ms'.padStart(8)} ${'peak MB'.padStart(8)}  ratio`,
);
for (const row of summary) {
  const base = summary.find((r) => r.name === row.baseline);
  const ratio = base ? `${(row.wallMs / base.wallMs).toFixed(2)}x ${base.name}` : '';
  console.log(
    `${row.name.padEnd(42)} ${String(row.wallMs).padStart(9)} ${String(row.wallSpreadMs).padStart(6)} ${String(row.cpuMs).padStart(8)} ${String(row.peakMb).padStart(8)}  ${ratio}`,
  );
}

const machine = {
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model,
  memGb: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
};
appendFileSync(
  path.join(here, 'results.jsonl'),
  `${JSON.stringify({ date: new Date().toISOString(), machine, fleet: DEFAULT_FLEET, results: summary })}\n`,
);
rmSync(fleetDir, { recursive: true, force: true });
