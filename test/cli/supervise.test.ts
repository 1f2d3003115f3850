// The supervisor of the command line (src/cli/supervise.ts), with worker threads that misbehave
// as a run could: stuck in CPU past its deadline, or done but held open by what it started.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { supervise } from '../../src/cli/supervise.js';

const TEMP_ROOT = path.resolve(import.meta.dirname, '../../src/core/temp-root.ts');

/** A worker script that makes an owned temporary directory with a process running in it, then `body`. */
function workerScript(body: string): URL {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-supervise-test-'));
  const file = path.join(dir, 'worker.mjs');
  writeFileSync(
    file,
    `import { parentPort } from 'node:worker_threads';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
const { makeOwnedTempDir } = await import(${JSON.stringify(pathToFileURL(TEMP_ROOT.replace(/\/src\/(.*)\.ts$/, '/dist/$1.js')).href)});
const post = (m) => parentPort.postMessage(m);
const dir = makeOwnedTempDir('build');
const child = spawn('sleep', ['300'], { cwd: dir, detached: true, stdio: 'ignore' });
post({ type: 'out', fd: 1, data: JSON.stringify({ dir, pid: child.pid }) + '\\n' });
${body}
`,
  );
  return pathToFileURL(file);
}

/** Gone, or a zombie nobody reaps until the test process ends. */
function stopped(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

let written = '';
afterEach(() => {
  vi.restoreAllMocks();
  written = '';
});

function capture() {
  const grab = (chunk: unknown) => {
    written += String(chunk);
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(grab);
  vi.spyOn(process.stderr, 'write').mockImplementation(grab);
}

describe.runIf(process.platform === 'linux')('the CLI supervisor', () => {
  it('stops a run that a CPU-bound stage keeps past its deadline, with what it started', async () => {
    capture();
    const code = await supervise({
      argv: [],
      workerUrl: workerScript(`post({ type: 'deadline', seconds: 1 });\nfor (;;) {}`),
    });
    const { dir, pid } = JSON.parse(written.split('\n')[0]!) as { dir: string; pid: number };
    expect(code).toBe(2);
    expect(written).toContain('fluxgate: the run took longer than 1 s and was stopped');
    expect(existsSync(dir)).toBe(false);
    // SIGKILL is sent before the run's end; the process is gone a moment later.
    await vi.waitFor(() => expect(stopped(pid)).toBe(true), { timeout: 30_000 });
  });

  it('ends a run that has its answer though something it started would keep it alive', async () => {
    capture();
    const code = await supervise({
      argv: [],
      workerUrl: workerScript(
        `post({ type: 'out', fd: 2, data: 'fluxgate: internal error: boom\\n' });\npost({ type: 'exit', code: 2 });\nsetInterval(() => {}, 1000);`,
      ),
    });
    const { dir, pid } = JSON.parse(written.split('\n')[0]!) as { dir: string; pid: number };
    expect(code).toBe(2);
    expect(written).toContain('internal error: boom');
    expect(existsSync(dir)).toBe(false);
    // SIGKILL is sent before the run's end; the process is gone a moment later.
    await vi.waitFor(() => expect(stopped(pid)).toBe(true), { timeout: 30_000 });
  });

  it('a thread that dies without an answer is an internal error, exit 2', async () => {
    capture();
    const code = await supervise({ argv: [], workerUrl: workerScript(`throw new Error('crashed');`) });
    expect(code).toBe(2);
    expect(written).toContain('fluxgate: internal error: crashed');
  });
});
