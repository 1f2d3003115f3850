// A run killed with SIGKILL runs no cleanup: its temporary copy of the repository (rendered
// Secrets may be in it) and the kustomize it started are left behind. The next run removes both.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { tempRepo } from '../helpers/temp-repo.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/fluxgate.js');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A process that exists and is not a zombie. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await sleep(50);
}

describe.runIf(process.platform === 'linux')('a run killed with SIGKILL', () => {
  it('leaves its build copy and its kustomize behind only until the next run', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-tmpdir-'));
    const work = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-killed-'));
    dirs.push(tmp, work);
    const pidFile = path.join(work, 'kustomize.pid');
    // A kustomize that answers `version`, then records its pid and never finishes a build.
    const hanging = path.join(work, 'kustomize');
    writeFileSync(
      hanging,
      `#!/bin/sh\nif [ "$1" = version ]; then echo v5.8.1; exit 0; fi\necho $$ > ${pidFile}\nexec sleep 600\n`,
      { mode: 0o755 },
    );
    const repo = tempRepo({
      'app/kustomization.yaml': 'resources: [cm.yaml]\n',
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
    });
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmp, FLUXGATE_DAEMON: '0' };
    const killed = spawn(process.execPath, [BIN, 'validate', '--no-cache', '--kustomize-bin', hanging], {
      cwd: repo,
      env,
      stdio: 'ignore',
    });
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'));
    const kustomize = Number(readFileSync(pidFile, 'utf8'));
    const exited = new Promise((resolve) => killed.once('exit', resolve));
    killed.kill('SIGKILL');
    await exited;
    const userDir = path.join(tmp, `fluxgate-${process.getuid!()}`);
    const left = readdirSync(userDir);
    expect(left.length).toBe(1);
    expect(running(kustomize)).toBe(true);
    try {
      // The next run (any run that builds) sweeps what the dead one left.
      const next = spawnSync(process.execPath, [BIN, 'validate', '--no-cache', '-q'], {
        cwd: repo,
        env,
        encoding: 'utf8',
      });
      expect(next.stderr).toBe('');
      expect(next.status).toBe(0);
      expect(existsSync(path.join(userDir, left[0]!))).toBe(false);
      await until(() => !running(kustomize));
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      if (running(kustomize)) process.kill(kustomize, 'SIGKILL');
    }
  });
});
