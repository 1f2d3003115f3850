// Interrupted and concurrent runs (issue 18): a run stopped by SIGINT or SIGTERM at any point of a
// cold run answers "interrupted" with exit 2, leaves no process and no temporary directory behind,
// and never poisons the cache; after SIGKILL the next run cleans up and is correct. Runs sharing
// one cache agree, and two runs without a cache give the same JSON.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/fluxgate.js');

let work: string;
let repo: string;

/** A cluster of 24 Flux Kustomizations, each an overlay of one base: enough builds to stop in. */
function fleet(root: string): void {
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  mkdirSync(path.join(root, '.git'), { recursive: true });
  write('apps/base/kustomization.yaml', 'resources: [deploy.yaml]\n');
  write(
    'apps/base/deploy.yaml',
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a}}
    spec:
      containers:
        - name: a
          image: nginx:latest
          resources: {limits: {memory: 64Mi}, requests: {cpu: 10m, memory: 64Mi}}
`,
  );
  let sync = '';
  for (let i = 1; i <= 24; i++) {
    write(`apps/app${i}/kustomization.yaml`, `resources: [../base]\nnameSuffix: "-${i}"\n`);
    sync += `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: app${i}, namespace: flux-system}
spec:
  interval: 10m
  path: ./apps/app${i}
  prune: true
  targetNamespace: app${i}
  sourceRef: {kind: GitRepository, name: flux-system}
`;
  }
  write('clusters/prod/apps.yaml', sync);
}

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  done: Promise<number | null>;
}

function start(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [BIN, 'validate', '--format', 'json', ...args], {
    cwd: repo,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', FLUXGATE_DAEMON: '0', ...env },
  });
  const run: Run = { child, stdout: '', stderr: '', done: Promise.resolve(null) };
  child.stdout?.on('data', (c: Buffer) => {
    run.stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    run.stderr += c.toString();
  });
  run.done = new Promise((resolve) => child.once('close', (code) => resolve(code)));
  return run;
}

/** The JSON report without the one field that measures the run rather than the repository. */
function report(stdout: string): unknown {
  const parsed = JSON.parse(stdout) as { summary: Record<string, unknown> };
  delete parsed.summary.durationMs;
  return parsed;
}

/** Processes whose environment names this temporary directory: fluxgate's helpers and builds. */
function processesOf(tmp: string): number[] {
  const marker = Buffer.from(`TMPDIR=${tmp}\0`);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z') continue;
      if (readFileSync(`/proc/${entry}/environ`).includes(marker)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Waits for a condition, polling; fails with `what` if it does not hold within `limitMs`. */
async function until(what: string, check: () => boolean, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`still waiting: ${what}`);
    await sleep(25);
  }
}

let clean: unknown;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-interrupts-'));
  repo = path.join(work, 'repo');
  fleet(repo);
  const tmp = path.join(work, 'tmp-clean');
  mkdirSync(tmp);
  const run = start(['--no-cache'], { TMPDIR: tmp });
  expect(await run.done).toBe(1);
  clean = report(run.stdout);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

// Points of a cold run, found in its --debug lines: before any build, builds in flight, checks.
const POINTS: [string, RegExp][] = [
  ['before the builds', /^\[debug\] stage load/m],
  ['while kustomize builds', /^\[debug\] kustomize repo:apps\/app\d+ .*exit 0/m],
  ['while checking', /^\[debug\] check: objects collected/m],
];

describe.runIf(process.platform === 'linux')('interrupted runs', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const [where, line] of POINTS) {
      it(`${signal} ${where}: exit 2, nothing left running or on disk, the cache stays right`, async () => {
        const tmp = mkdtempSync(path.join(work, 'tmp-'));
        const cache = mkdtempSync(path.join(work, 'cache-'));
        const env = { TMPDIR: tmp, FLUXGATE_CACHE_DIR: cache };
        const run = start(['--debug'], env);
        await until(
          `${where} in --debug`,
          () => line.test(run.stderr) || run.child.exitCode !== null,
          120_000,
        );
        // A run that finished before the signal proves nothing: the point must be reached alive.
        expect(run.child.exitCode).toBeNull();
        run.child.kill(signal);
        const code = await run.done;
        expect(code).toBe(2);
        expect(run.stderr).toMatch(/^fluxgate: interrupted$/m);
        expect(run.stderr).not.toMatch(/\n\s+at /);
        expect(run.stdout).toBe('');
        await until('helpers to exit', () => processesOf(tmp).length === 0);
        expect(readdirSync(tmp).flatMap((d) => readdirSync(path.join(tmp, d)))).toEqual([]);

        // The next run reads whatever the stopped one cached and must equal a clean run.
        const next = start([], env);
        expect(await next.done).toBe(1);
        expect(report(next.stdout)).toEqual(clean);
        await until('helpers to exit', () => processesOf(tmp).length === 0);
      }, 180_000);
    }
  }

  it('SIGKILL while kustomize builds: the next run sweeps what it left and is correct', async () => {
    const tmp = mkdtempSync(path.join(work, 'tmp-'));
    const cache = mkdtempSync(path.join(work, 'cache-'));
    const env = { TMPDIR: tmp, FLUXGATE_CACHE_DIR: cache };
    const run = start(['--debug'], env);
    await until(
      'a build in --debug',
      () => POINTS[1]![1].test(run.stderr) || run.child.exitCode !== null,
      120_000,
    );
    expect(run.child.exitCode).toBeNull();
    run.child.kill('SIGKILL');
    await run.done;
    // Helpers notice their parent is gone (their stdin closes) and exit by themselves.
    await until('helpers to exit after SIGKILL', () => processesOf(tmp).length === 0);
    const next = start([], env);
    expect(await next.done).toBe(1);
    expect(report(next.stdout)).toEqual(clean);
    await until('helpers to exit', () => processesOf(tmp).length === 0);
    expect(readdirSync(tmp).flatMap((d) => readdirSync(path.join(tmp, d)))).toEqual([]);
  }, 180_000);
});

describe('concurrent runs', () => {
  it('four runs in parallel on one repository and one cache give the same report as a clean run', async () => {
    const tmp = mkdtempSync(path.join(work, 'tmp-'));
    const cache = mkdtempSync(path.join(work, 'cache-'));
    const runs = Array.from({ length: 4 }, () => start([], { TMPDIR: tmp, FLUXGATE_CACHE_DIR: cache }));
    const codes = await Promise.all(runs.map((r) => r.done));
    expect(codes).toEqual([1, 1, 1, 1]);
    for (const run of runs) expect(report(run.stdout)).toEqual(clean);
    // And a run after them, served from what the four wrote, agrees too.
    const after = start([], { TMPDIR: tmp, FLUXGATE_CACHE_DIR: cache });
    expect(await after.done).toBe(1);
    expect(report(after.stdout)).toEqual(clean);
  }, 300_000);

  it('two runs without a cache print the same JSON, byte for byte but for the duration', async () => {
    const tmp = mkdtempSync(path.join(work, 'tmp-'));
    const [a, b] = [start(['--no-cache'], { TMPDIR: tmp }), start(['--no-cache'], { TMPDIR: tmp })];
    expect(await a.done).toBe(1);
    expect(await b.done).toBe(1);
    const bytes = (s: string) => s.replace(/"durationMs": \d+/, '"durationMs": 0');
    expect(bytes(a.stdout)).toBe(bytes(b.stdout));
    expect(a.stdout).toMatch(/"durationMs": \d+/);
  }, 300_000);
});
