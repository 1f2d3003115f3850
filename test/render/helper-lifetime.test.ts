// kustomize-server never outlives fluxgate: a run killed with SIGKILL (no cleanup runs) must not
// leave a helper behind in the middle of a build. The build here never ends: its resource is a
// named pipe nobody writes to, so only the helper's own parent-death handling can end it.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { locateLocalTool } from '../../src/tools/locate-tool.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function serverBinary(): string {
  const tool = locateLocalTool('kustomize-server', process.env);
  if (!tool?.installed) throw new Error('kustomize-server is not installed: run `npm run tools`');
  return tool.path;
}

/** A kustomization whose one resource is a FIFO: kustomize blocks reading it. */
function endlessBuild(): { dir: string; fifo: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-endless-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: [endless.yaml]\n');
  const fifo = path.join(dir, 'endless.yaml');
  execFileSync('mkfifo', [fifo]);
  return { dir, fifo };
}

/** A process that exists and is not a zombie (a dead child nobody reaped yet). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function childOf(parent: number): Promise<number> {
  for (;;) {
    try {
      const out = execFileSync('pgrep', ['-P', String(parent)], { encoding: 'utf8' }).trim();
      if (out !== '') return Number(out.split('\n')[0]);
    } catch {
      // none yet
    }
    await sleep(50);
  }
}

async function killAndWait(parent: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => parent.once('exit', resolve));
  parent.kill('SIGKILL');
  await exited;
}

describe.runIf(process.platform === 'linux')('kustomize-server when fluxgate dies', () => {
  it('exits mid-build when the fluxgate process that runs it is killed (its input ends)', async () => {
    const { dir, fifo } = endlessBuild();
    // fluxgate's own BuildServer (the built dist/), in a process of its own to kill.
    const script = `
      const { BuildServer } = await import(${JSON.stringify(path.join(ROOT, 'dist/render/kustomize/build-server.js'))});
      new BuildServer(${JSON.stringify(serverBinary())}, process.env).build(${JSON.stringify(dir)}, { timeoutMs: 600000 });
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    // Opening the FIFO for writing returns once kustomize has opened it: the build is under way.
    const writer = await open(fifo, 'w');
    let helper: number | undefined;
    try {
      helper = await childOf(parent.pid!);
      expect(running(helper)).toBe(true);
      await killAndWait(parent);
      while (running(helper)) await sleep(50);
    } finally {
      await writer.close();
      if (helper !== undefined && running(helper)) process.kill(helper, 'SIGKILL');
    }
  });

  it('is killed by the kernel when its parent dies, even with its input still open (Linux)', async () => {
    const { dir, fifo } = endlessBuild();
    const control = path.join(dir, 'requests');
    execFileSync('mkfifo', [control]);
    // The helper's input is a FIFO it holds open itself: the end of input never comes, so only the
    // parent-death signal can stop it.
    const script = `
      const { spawn } = await import('node:child_process');
      const fs = await import('node:fs');
      const input = fs.openSync(${JSON.stringify(control)}, 'r+');
      spawn(${JSON.stringify(serverBinary())}, [], {
        stdio: [input, 'ignore', 'ignore'],
        env: { ...process.env, FLUXGATE_PARENT_PID: String(process.pid) },
        detached: true,
      });
      fs.writeSync(input, JSON.stringify({ id: 1, dir: ${JSON.stringify(dir)} }) + '\\n');
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const writer = await open(fifo, 'w');
    let helper: number | undefined;
    try {
      helper = await childOf(parent.pid!);
      await killAndWait(parent);
      while (running(helper)) await sleep(50);
    } finally {
      await writer.close();
      if (helper !== undefined && running(helper)) process.kill(helper, 'SIGKILL');
    }
  });
});
