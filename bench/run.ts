/**
 * `npm run bench`: runs fluxgate and its peers side by side on one generated fleet, alternating
 * runs, and prints medians, spread and ratios. Results are appended to bench/results.jsonl with
 * the machine's description, so regressions are visible. Absolute times vary between machines;
 * ratios measured in the same run do not. BENCH_REPS (default 3) sets the repetitions;
 * BENCH_CLUSTERS, BENCH_APPS, BENCH_CONFIGMAPS the fleet size; BENCH_CATALOG=0 leaves out each
 * app's custom resources (catalog schemas); BENCH_IMAGES the `images:` entries of the
 * one-kustomization case (default 1000).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHANGED_FILE, fleetFromEnv, generateFleet } from './fleet.js';
import { generateImagesRepo } from './images.js';
import { measure, median, type Sample, spread } from './measure.js';
import { gitInit, kubeconformSchemas, pinnedTools, policyOnlyConfig, preRender } from './setup.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '..');
const reps = Number(process.env.BENCH_REPS ?? 3);
const params = fleetFromEnv(process.env);

interface Case {
  name: string;
  command: string[];
  cwd: string;
  /** Runs before each measured run (untimed); returns extra environment. */
  before?: (rep: number) => NodeJS.ProcessEnv | undefined;
  /** Ratios are printed against these cases (their medians summed). */
  baseline?: string[];
  /** A second ratio, against these cases. */
  alsoVs?: string[];
}

const work = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-bench-'));
const fleetDir = path.join(work, 'fleet');
const schemasDir = path.join(work, 'kubeconform-schemas');
const renderedDir = path.join(work, 'rendered');
const manifestsDir = path.join(renderedDir, 'manifests');
const warmCache = path.join(work, 'cache-warm');
const tools = pinnedTools(projectRoot);
const fleet = generateFleet(fleetDir, params);
gitInit(fleetDir);
const schemaFiles = kubeconformSchemas(projectRoot, schemasDir);
const renderedResources = preRender(fleetDir, renderedDir, tools.kustomize, params);
const fluxgate = ['node', path.join(projectRoot, 'bin/fluxgate.js')];
// fluxgate finds the pinned kustomize (and its kustomize-server) in the tools cache itself.
const smallRepo = path.join(work, 'small');
cpSync(path.join(projectRoot, 'examples/aks-fleet'), smallRepo, { recursive: true });
const smallCache = path.join(work, 'cache-small');
const kubeconform = [tools.kubeconform, '-strict', '-summary', '-skip', 'Secret'];
// One kustomization with a long `images:` list: fluxgate's render against plain kustomize.
const imageCount = Number(process.env.BENCH_IMAGES ?? 1000);
const imagesRepo = path.join(work, 'images');
const imagesApp = generateImagesRepo(imagesRepo, imageCount);
const IMAGES_PEER = `peer: kustomize build, ${imageCount} images`;
const schemaLocation = ['-schema-location', `${schemasDir}/{{ .ResourceKind }}{{ .KindSuffix }}.json`];
const peerEnv = { KUSTOMIZE: tools.kustomize, KUBECONFORM: tools.kubeconform, SCHEMAS: schemasDir };

let coldRun = 0;
/** A fresh, empty cache directory for each cold run. */
const coldCache = () => {
  const dir = path.join(work, `cache-cold-${coldRun++}`);
  mkdirSync(dir);
  return { FLUXGATE_CACHE_DIR: dir };
};
/** Changes the app patch file (a different replica count each run), so the cache cannot hold it. */
const changePatch = (rep: number, stage: boolean) => {
  const file = path.join(fleetDir, CHANGED_FILE);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/replicas: \d+/, `replicas: ${10 + rep}`));
  if (stage) execFileSync('git', ['add', CHANGED_FILE], { cwd: fleetDir });
  return { FLUXGATE_CACHE_DIR: warmCache };
};

// `fluxgate daemon`: one started for the bench, on its own cache directory; the cases below
// that name it reach it through that directory (the others have none and run in-process).
const daemonCache = path.join(work, 'cache-daemon');
const viaDaemon = { FLUXGATE_CACHE_DIR: daemonCache };
const daemonCommand = (sub: string) =>
  execFileSync('node', [path.join(projectRoot, 'bin/fluxgate.js'), 'daemon', sub], {
    env: { ...process.env, ...viaDaemon },
    encoding: 'utf8',
  }).trim();

/** The schema check alone on the pre-rendered files, as kubeconform reads them. */
const schemaOnly = [
  ...fluxgate,
  'validate',
  '-q',
  '--offline',
  '--only',
  'schema',
  '--root',
  renderedDir,
  manifestsDir,
];
const measureSchemaOnly = (env: NodeJS.ProcessEnv) => measure(schemaOnly, { cwd: renderedDir, env });

/** A file of the small example fleet, as an editor or lint-staged names it. */
const SMALL_FILE = 'apps/dev/kustomization.yaml';
const PEER = 'peer: kustomize build | kubeconform (validate.sh)';
const CONFTEST = 'peer: conftest (image + chart Rego)';
const COLD = 'fluxgate validate, cold';
const WARM = 'fluxgate validate, warm';
const WARM_CHANGED = 'fluxgate validate, warm, 1 patch changed';
const cases: Case[] = [
  { name: 'floor: node start-up', command: ['node', '-e', '0'], cwd: work },
  { name: 'floor: kustomize version', command: [tools.kustomize, 'version'], cwd: work },
  {
    name: PEER,
    command: ['bash', path.join(here, 'peer-validate.sh')],
    cwd: fleetDir,
    before: () => peerEnv,
  },
  {
    name: CONFTEST,
    command: [tools.conftest, 'test', '--no-color', '-p', path.join(here, 'conftest'), manifestsDir],
    cwd: work,
  },
  {
    name: COLD,
    command: [...fluxgate, 'validate', '-q'],
    cwd: fleetDir,
    before: coldCache,
    baseline: [PEER, CONFTEST],
  },
  {
    name: 'fluxgate validate, cold, one kustomize process per build',
    command: [...fluxgate, 'validate', '-q'],
    cwd: fleetDir,
    before: () => ({ ...coldCache(), FLUXGATE_KUSTOMIZE_SERVER: '0' }),
    baseline: [PEER, CONFTEST],
  },
  {
    name: WARM,
    command: [...fluxgate, 'validate', '-q'],
    cwd: fleetDir,
    // Nothing changed since the last run: an untimed run first (the incremental cases change a file).
    before: () => {
      measure([...fluxgate, 'validate', '-q'], { cwd: fleetDir, env: { FLUXGATE_CACHE_DIR: warmCache } });
      return { FLUXGATE_CACHE_DIR: warmCache };
    },
    baseline: [COLD],
  },
  {
    name: 'fluxgate validate FILE (1 patch changed)',
    command: [...fluxgate, 'validate', '-q', CHANGED_FILE],
    cwd: fleetDir,
    before: (rep) => changePatch(rep, false),
    baseline: [COLD],
  },
  {
    name: 'fluxgate validate --staged (1 staged)',
    command: [...fluxgate, 'validate', '-q', '--staged'],
    cwd: fleetDir,
    before: (rep) => changePatch(100 + rep, true),
    baseline: [COLD],
  },
  {
    name: WARM_CHANGED,
    command: [...fluxgate, 'validate', '-q'],
    cwd: fleetDir,
    before: (rep) => changePatch(400 + rep, false),
    baseline: [WARM],
  },
  {
    // HEAD against the work tree, as a review on a branch runs it again after each edit: the base
    // diffed before (read from the cache), the head with the changed patch.
    name: 'fluxgate diff HEAD (1 patch changed)',
    command: [...fluxgate, 'diff', 'HEAD'],
    cwd: fleetDir,
    before: (rep) => {
      // The first diff of this base, untimed (the next case times that one).
      if (rep === 0)
        measure([...fluxgate, 'diff', 'HEAD'], { cwd: fleetDir, env: { FLUXGATE_CACHE_DIR: warmCache } });
      return changePatch(500 + rep, false);
    },
    baseline: [WARM],
    alsoVs: [WARM_CHANGED],
  },
  {
    // The first diff of a base: exported and checked (its builds and checks in the cache).
    name: 'fluxgate diff HEAD (1 patch changed), base not diffed before',
    command: [...fluxgate, 'diff', 'HEAD'],
    cwd: fleetDir,
    before: (rep) => {
      rmSync(path.join(warmCache, 'diff-sides'), { recursive: true, force: true });
      return changePatch(600 + rep, false);
    },
    baseline: [WARM],
    alsoVs: [WARM_CHANGED],
  },
  {
    name: 'fluxgate validate FILE, small repo (start-up)',
    command: [...fluxgate, 'validate', '-q', SMALL_FILE],
    cwd: smallRepo,
    before: () => ({ FLUXGATE_CACHE_DIR: smallCache }),
    baseline: ['floor: node start-up'],
  },
  {
    name: 'fluxgate validate, warm, daemon',
    command: [...fluxgate, 'validate', '-q'],
    cwd: fleetDir,
    before: () => {
      measure([...fluxgate, 'validate', '-q'], { cwd: fleetDir, env: viaDaemon });
      return viaDaemon;
    },
    baseline: [COLD],
  },
  {
    name: 'fluxgate validate FILE (1 patch changed), daemon',
    command: [...fluxgate, 'validate', '-q', CHANGED_FILE],
    cwd: fleetDir,
    before: (rep) => ({ ...changePatch(200 + rep, false), ...viaDaemon }),
    baseline: [COLD],
  },
  {
    name: 'fluxgate validate --staged (1 staged), daemon',
    command: [...fluxgate, 'validate', '-q', '--staged'],
    cwd: fleetDir,
    before: (rep) => ({ ...changePatch(300 + rep, true), ...viaDaemon }),
    baseline: [COLD],
  },
  {
    name: 'fluxgate validate FILE, small repo, daemon',
    command: [...fluxgate, 'validate', '-q', SMALL_FILE],
    cwd: smallRepo,
    before: () => viaDaemon,
    baseline: ['floor: node start-up'],
  },
  {
    name: 'fluxgate policies only (image + chart rules), pre-rendered files',
    command: [
      ...fluxgate,
      'validate',
      '-q',
      '--offline',
      '--no-cache',
      '--only',
      'policy',
      '--root',
      renderedDir,
      '--config',
      policyOnlyConfig(work),
      manifestsDir,
    ],
    cwd: renderedDir,
    baseline: [CONFTEST],
  },
  {
    name: 'peer: kubeconform, pre-rendered files',
    command: [...kubeconform, ...schemaLocation, manifestsDir],
    cwd: work,
  },
  {
    name: 'fluxgate schema-only, pre-rendered files',
    command: schemaOnly,
    cwd: renderedDir,
    before: coldCache,
    baseline: ['peer: kubeconform, pre-rendered files'],
  },
  {
    name: 'fluxgate schema-only, pre-rendered files, warm',
    command: schemaOnly,
    cwd: renderedDir,
    before: () => {
      const env = { FLUXGATE_CACHE_DIR: path.join(work, 'cache-schema') };
      measureSchemaOnly(env);
      return env;
    },
    baseline: ['peer: kubeconform, pre-rendered files'],
  },
  {
    name: IMAGES_PEER,
    command: [tools.kustomize, 'build', imagesApp],
    cwd: imagesRepo,
  },
  {
    name: `fluxgate render, ${imageCount} images`,
    command: [...fluxgate, 'validate', '-q', '--no-cache', '--only', 'render'],
    cwd: imagesRepo,
    baseline: [IMAGES_PEER],
  },
  {
    name: 'fluxgate schema-only, pre-rendered files, daemon',
    command: schemaOnly,
    cwd: renderedDir,
    before: () => viaDaemon,
    baseline: ['peer: kubeconform, pre-rendered files'],
  },
];

// Prime the warm cache (and report the fluxgate run's exit status once, untimed).
const prime = measure([...fluxgate, 'validate', '-q'], {
  cwd: fleetDir,
  env: { FLUXGATE_CACHE_DIR: warmCache },
});
measure([...fluxgate, 'validate', '-q', SMALL_FILE], {
  cwd: smallRepo,
  env: { FLUXGATE_CACHE_DIR: smallCache },
});
console.log(
  `fleet: ${fleet.files} files, ${fleet.resources} rendered resources, ${params.clusters} clusters x ${params.apps} apps; ` +
    `${schemaFiles} kubeconform schema files; ${renderedResources} pre-rendered resources; ${reps} runs each ` +
    `(priming run: ${Math.round(prime.wallMs)} ms, exit ${prime.exitCode})`,
);

// The daemon, primed like the in-process warm cache (its first runs load code and start kustomize).
console.log(daemonCommand('start'));
for (const [args, cwd] of [
  [['validate', '-q'], fleetDir],
  [['validate', '-q', CHANGED_FILE], fleetDir],
  [['validate', '-q', SMALL_FILE], smallRepo],
  [schemaOnly.slice(fluxgate.length), renderedDir],
] as const)
  measure([...fluxgate, ...args], { cwd, env: viaDaemon });

// BENCH_ONLY=regex runs the matching cases (and the cases they are compared with) only.
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
if (only) {
  const keep = new Set(
    cases
      .filter((c) => only.test(c.name))
      .flatMap((c) => [c.name, ...(c.baseline ?? []), ...(c.alsoVs ?? [])]),
  );
  cases.splice(0, cases.length, ...cases.filter((c) => keep.has(c.name)));
}
const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
for (let rep = 0; rep < reps; rep++) {
  // Alternate the order so drift (thermal, page cache) does not favour one case.
  const order = rep % 2 === 0 ? cases : [...cases].reverse();
  for (const c of order) {
    const env = c.before?.(rep);
    const sample = measure(c.command, { cwd: c.cwd, ...(env ? { env } : {}) });
    if (sample.exitCode > 1) console.warn(`${c.name}: exit ${sample.exitCode}`);
    samples.get(c.name)?.push(sample);
  }
}

const summary = cases.map((c) => {
  const s = samples.get(c.name) ?? [];
  return {
    name: c.name,
    wallMs: Math.round(median(s.map((x) => x.wallMs))),
    wallSpreadMs: Math.round(spread(s.map((x) => x.wallMs))),
    cpuMs: Math.round(median(s.map((x) => x.cpuMs))),
    peakMb: Math.round(median(s.map((x) => x.peakMb))),
    exitCodes: [...new Set(s.map((x) => x.exitCode))],
    baseline: c.baseline,
    ratio: undefined as number | undefined,
    alsoVs: c.alsoVs,
    alsoRatio: undefined as number | undefined,
  };
});
const ratioTo = (wallMs: number, names: readonly string[] | undefined) => {
  if (!names) return undefined;
  const base = names.reduce((sum, b) => sum + (summary.find((r) => r.name === b)?.wallMs ?? 0), 0);
  return base > 0 ? Number((wallMs / base).toFixed(3)) : undefined;
};
for (const row of summary) {
  row.ratio = ratioTo(row.wallMs, row.baseline);
  row.alsoRatio = ratioTo(row.wallMs, row.alsoVs);
}

const pad = 48;
console.log(
  `${'case'.padEnd(pad)} ${'wall ms'.padStart(8)} ${'±'.padStart(6)} ${'cpu ms'.padStart(8)} ${'peak MB'.padStart(8)} ${'exit'.padStart(4)}  ratio`,
);
for (const row of summary) {
  const ratio = [
    row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x ${row.baseline?.join(' + ')}`,
    row.alsoRatio === undefined ? '' : `; ${row.alsoRatio.toFixed(2)}x ${row.alsoVs?.join(' + ')}`,
  ].join('');
  console.log(
    `${row.name.padEnd(pad)} ${String(row.wallMs).padStart(8)} ${String(row.wallSpreadMs).padStart(6)} ${String(row.cpuMs).padStart(8)} ${String(row.peakMb).padStart(8)} ${row.exitCodes.join('/').padStart(4)}  ${ratio}`,
  );
}
console.log('peak MB: the largest single process of the tree (GNU time %M), not the sum.');
// The daemon's own memory is not in the client's peak: it says what it uses.
const daemonStatus = daemonCommand('status');
console.log(daemonStatus);
const daemonRssMb = Number(/, (\d+) MB,/.exec(daemonStatus)?.[1] ?? Number.NaN);
daemonCommand('stop');

const machine = {
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model,
  memGb: Math.round(os.totalmem() / 2 ** 30),
  os: `${os.platform()} ${os.release()}`,
  node: process.version,
};
appendFileSync(
  path.join(here, 'results.jsonl'),
  `${JSON.stringify({ date: new Date().toISOString(), machine, fleet: params, tools, reps, daemonRssMb, results: summary })}\n`,
);
rmSync(work, { recursive: true, force: true });
