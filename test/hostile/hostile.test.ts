// Hostile repositories (issues 18 and 19): every case of the issues in one repository, checked in
// one run as a user would run it. Bounds are safety limits that stop a runaway, not timings.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshot, writeRepo } from './hostile-repo.js';
import { namedRenderCases } from './named-render-cases.js';
import { namedYamlCases } from './named-yaml-cases.js';
import { runBounded } from './run-bounded.js';
import { caseProblems, runProblems } from './verdict.js';

const cases = [...namedYamlCases(), ...namedRenderCases()];

describe.runIf(process.platform === 'linux')('the hostile repository of issues 18 and 19', () => {
  let root: string;
  let outDir: string;
  beforeAll(() => {
    root = writeRepo(cases);
    outDir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-hostile-out-'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  });

  it('runs to the end within its --timeout: findings, exit 1, bounded memory, nothing written or left behind', async () => {
    const before = snapshot(root);
    const formats = ['sarif', 'junit', 'text', 'github', 'azure', 'compact'];
    const run = await runBounded(
      [
        'validate',
        '--no-cache',
        '--timeout',
        '240',
        '--format',
        'json',
        ...formats.flatMap((f) => ['--format', `${f}=${path.join(outDir, `out.${f}`)}`]),
      ],
      { cwd: root, boundMs: 300_000 },
    );
    const outputs = formats.map((f) => readFileSync(path.join(outDir, `out.${f}`), 'utf8'));
    const { problems, diagnostics } = runProblems(run, { codes: [1], outputs });
    console.log(
      `hostile repository: ${cases.length} cases, exit ${run.code}, ${diagnostics.length} findings, peak ${Math.round(run.peakBytes / 1024 / 1024)} MB`,
    );
    expect(problems).toEqual([]);
    expect(caseProblems(cases, diagnostics)).toEqual([]);
    expect(() => JSON.parse(outputs[0]!)).not.toThrow();
    expect(outputs[1]).toContain('<testsuites');
    expect(snapshot(root)).toEqual(before);
  }, 330_000);
});
