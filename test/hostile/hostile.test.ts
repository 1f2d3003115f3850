// Hostile repositories (issues 18 and 19): the named cases of the issues and inputs generated with
// fast-check, written side by side into a few repositories so that one run checks many cases, as a
// user would run it; cases that need a process of their own (a bad config, --stdin, a killed run)
// get one. Bounds are safety limits that catch a hang or a runaway, never timings.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { generatedCases } from './generated-cases.js';
import { aliasBomb, cm, deepBlock, type HostileCase, kustomization } from './hostile-case.js';
import { snapshot, writeRepo } from './hostile-repo.js';
import { namedRenderCases } from './named-render-cases.js';
import { namedYamlCases } from './named-yaml-cases.js';
import { processesWith, runBounded, slot } from './run-bounded.js';
import { caseProblems, runProblems } from './verdict.js';

const named = [...namedYamlCases(), ...namedRenderCases()];
const generated = generatedCases();
const silent = generated.filter((c) => c.silent);
const loud = generated.filter((c) => !c.silent);
const all = [...named, ...generated];

/** A run past this is a hang: far beyond what any of these takes on a loaded 2-core machine. */
const HANG_MS = 240_000;
const BIN = path.resolve(import.meta.dirname, '../../bin/fluxgate.js');

const roots: string[] = [];
afterAll(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function repo(cases: readonly HostileCase[]): string {
  const root = writeRepo(cases);
  roots.push(root);
  return root;
}

/** One run over the cases: a sound run, and (unless a stage is left out) each case's verdict. */
async function checkRepo(
  cases: readonly HostileCase[],
  code: 0 | 1,
  args: readonly string[] = [],
  verdicts = true,
) {
  const root = repo(cases);
  const before = snapshot(root);
  const run = await runBounded(['validate', '--no-cache', '--format', 'json', ...args], {
    cwd: root,
    boundMs: HANG_MS,
  });
  const { problems, diagnostics } = runProblems(run, { codes: [code] });
  expect(problems).toEqual([]);
  if (verdicts) expect(caseProblems(cases, diagnostics)).toEqual([]);
  expect(snapshot(root)).toEqual(before);
  return diagnostics;
}

describe.runIf(process.platform === 'linux')('hostile inputs', () => {
  it('has at least 300 cases, each with its own name', () => {
    expect(all.length).toBeGreaterThanOrEqual(300);
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
  });

  describe.concurrent('checked a repository at a time', () => {
    it(`the named cases of issues 18 and 19 (${named.length}): each finding at its file, or silence`, async () => {
      await checkRepo(named, 1);
    }, 600_000);

    it(`generated inputs Flux refuses (${loud.length}): each finding at its file, no crash`, async () => {
      await checkRepo(loud, 1);
    }, 600_000);

    it(`generated valid manifests (${silent.length}): silence and exit 0`, async () => {
      const diagnostics = await checkRepo(silent, 0);
      expect(diagnostics.filter((d) => d.ruleId !== 'refs/source-not-found')).toEqual([]);
    }, 600_000);

    it.for(['schema', 'policy'])(
      '--only %s over the named YAML cases ends with its findings',
      { timeout: 600_000 },
      async (stage) => {
        await checkRepo(namedYamlCases(), 1, ['--only', stage], false);
      },
    );
  });
});

const OK: HostileCase[] = [{ name: 'ok', files: { 'cm.yaml': cm('ok') } }];

async function validate(root: string, args: readonly string[] = [], stdin?: string) {
  const before = snapshot(root);
  const run = await runBounded(['validate', '--no-cache', '--format', 'json', ...args], {
    cwd: root,
    boundMs: HANG_MS,
    ...(stdin === undefined ? {} : { stdin }),
  });
  expect(snapshot(root)).toEqual(before);
  return run;
}

describe.runIf(process.platform === 'linux')('a .fluxgate.yaml that is not a config', () => {
  const configs: [string, (file: string) => void][] = [
    ['a FIFO', (file) => execFileSync('mkfifo', [file])],
    ['a mapping 2,000 levels deep', (file) => writeFileSync(file, deepBlock(2000))],
    ['a list', (file) => writeFileSync(file, '- rules\n- exclude\n')],
    [
      'random bytes',
      (file) =>
        writeFileSync(
          file,
          Uint8Array.from({ length: 512 }, (_, i) => (i * 131) % 256),
        ),
    ],
  ];
  it.for(configs)('%s: a config error, exit 2, no crash', { timeout: 300_000 }, async ([, write]) => {
    const root = repo(OK);
    write(path.join(root, '.fluxgate.yaml'));
    const run = await validate(root);
    expect(runProblems(run, { codes: [2] }).problems).toEqual([]);
    expect(run.stderr).toContain('.fluxgate.yaml');
  });
});

describe.runIf(process.platform === 'linux')('hostile --stdin buffers', () => {
  const args = ['--stdin', '--stdin-filename', 'cases/ok/x.yaml'];

  it('a ConfigMap of 50,000 keys on one line, the last a duplicate: its finding', async () => {
    const keys = [...Array.from({ length: 50_000 }, (_, i) => `k${i}: v`), 'k0: again'].join(', ');
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many\ndata: {${keys}}\n`;
    const run = await validate(repo(OK), args, text);
    const { problems, diagnostics } = runProblems(run, { codes: [1] });
    expect(problems).toEqual([]);
    expect(diagnostics.map((d) => d.ruleId)).toContain('yaml/duplicate-key');
  }, 300_000);

  it('an alias bomb: yaml/syntax, excessive aliasing', async () => {
    const run = await validate(repo(OK), args, aliasBomb(10));
    const { problems, diagnostics } = runProblems(run, { codes: [1] });
    expect(problems).toEqual([]);
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        ruleId: 'yaml/syntax',
        message: expect.stringContaining('excessive aliasing'),
      }),
    );
  }, 300_000);
});

/** The processes whose command line names kustomize-server, among `pids`. */
function helpers(pids: readonly number[]): number[] {
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kustomize-server');
    } catch {
      return false;
    }
  });
}

describe.runIf(process.platform === 'linux')('a cold run killed with SIGKILL', () => {
  it('leaves no kustomize-server helper running', async () => {
    // Enough builds that the run is still building when its first helper is seen.
    const cases = Array.from({ length: 150 }, (_, i) => ({
      name: `app-${i}`,
      files: { 'kustomization.yaml': kustomization(['cm.yaml']), 'cm.yaml': cm(`app-${i}`) },
    }));
    const root = repo(cases);
    const marker = randomUUID();
    const { signal, seen } = await slot(async () => {
      const child = spawn(process.execPath, [BIN, 'validate', '--no-cache', '--format', 'json'], {
        cwd: root,
        env: { ...process.env, FLUXGATE_DAEMON: '0', FLUXGATE_HOSTILE_RUN: marker },
        stdio: 'ignore',
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.once('exit', (_c, s) => resolve(s)),
      );
      let found: number[] = [];
      try {
        while (found.length === 0 && child.exitCode === null) {
          found = helpers(processesWith(marker));
          if (found.length === 0) await sleep(20);
        }
        child.kill('SIGKILL');
        const killedBy = await exited;
        // Each helper sees its input end and exits; nothing else of the run is left either.
        while (processesWith(marker).length > 0) await sleep(50);
        return { signal: killedBy, seen: found };
      } finally {
        for (const pid of processesWith(marker)) process.kill(pid, 'SIGKILL');
      }
    });
    expect(signal).toBe('SIGKILL');
    expect(seen.length).toBeGreaterThan(0);
  }, 300_000);
});

describe.runIf(process.platform === 'linux')('the combined hostile repository', () => {
  it(`all ${all.length} cases run to the end within --timeout: findings, exit 1, under 1 GB, nothing written`, async () => {
    const root = repo(all);
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-hostile-out-'));
    roots.push(outDir);
    const before = snapshot(root);
    const formats = ['sarif', 'junit', 'text', 'github', 'azure', 'compact'];
    const run = await runBounded(
      [
        'validate',
        '--no-cache',
        '--timeout',
        '200',
        '--format',
        'json',
        ...formats.flatMap((f) => ['--format', `${f}=${path.join(outDir, `out.${f}`)}`]),
      ],
      { cwd: root, boundMs: HANG_MS },
    );
    const outputs = formats.map((f) => readFileSync(path.join(outDir, `out.${f}`), 'utf8'));
    const { problems, diagnostics } = runProblems(run, { codes: [1], outputs });
    console.log(
      `hostile repository: ${all.length} cases, exit ${run.code}, ${diagnostics.length} findings, peak ${Math.round(run.peakBytes / 1024 / 1024)} MB`,
    );
    expect(problems).toEqual([]);
    expect(caseProblems(all, diagnostics)).toEqual([]);
    expect(() => JSON.parse(outputs[0]!)).not.toThrow();
    expect(outputs[1]).toContain('<testsuites');
    expect(snapshot(root)).toEqual(before);
  }, 600_000);
});
