// Real processes on a busy 2-core machine: a run here can take tens of seconds, so each test has a
// bound of minutes (hang detection, not a speed assertion).
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCodeDigest } from '../../src/cache/code-digest.js';
import { pinnedTool } from '../helpers/tools.js';

// The real thing: bin/fluxgate.js (the built dist/) as a hook or editor runs it, and a daemon
// started by `fluxgate daemon start` in the background, on loopback (a Unix socket).
const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/fluxgate.js');
// The dev overlay sets podinfo's tag (line 12): `latest` there is a policy/image-tag-pinned error.
const IMAGE_FILE = 'apps/dev/kustomization.yaml';
const ANSI = '\u001b[';
const withTag = (text: string, tag: string) => text.replace(/newTag: .*/, `newTag: ${tag}`);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runIn(bin: string, cache: string, cwd: string, args: string[], extra: NodeJS.ProcessEnv = {}): Run {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NO_COLOR: '1',
      FLUXGATE_CACHE_DIR: cache,
      ...extra,
    },
    ...(extra.STDIN !== undefined ? { input: extra.STDIN } : {}),
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let waited = 0; waited < 15_000; waited += 100) {
    if (check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('fluxgate daemon', { timeout: 300_000 }, () => {
  let cache: string;
  let repo: string;
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => runIn(BIN, cache, repo, args, extra);
  const answered = () => Number(/(\d+) runs answered/.exec(run(['daemon', 'status']).stdout)?.[1] ?? -1);

  beforeAll(() => {
    cache = mkdtempSync(path.join(os.tmpdir(), 'fg-daemon-'));
    repo = mkdtempSync(path.join(os.tmpdir(), 'fg-daemon-repo-'));
    cpSync(path.join(ROOT, 'examples/aks-fleet'), repo, { recursive: true });
    mkdirSync(path.join(repo, '.git'));
    const started = run(['daemon', 'start', '--idle-timeout', '5']);
    expect(started.stdout, started.stderr).toMatch(/^fluxgate daemon started: pid \d+/);
  });

  afterAll(() => {
    run(['daemon', 'stop']);
    rmSync(repo, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  it('answers validate runs with the same output and exit code as a run in-process', () => {
    const before = answered();
    for (const args of [
      ['validate', '-q'],
      ['validate', '-f', 'compact'],
      ['validate', '-q', 'apps'],
    ]) {
      const viaDaemon = run(args);
      const inProcess = run([...args, '--no-daemon']);
      expect(viaDaemon.code, viaDaemon.stderr).toBe(0);
      expect(viaDaemon.stdout.replace(/\d+ ms/, '')).toBe(inProcess.stdout.replace(/\d+ ms/, ''));
    }
    expect(answered()).toBe(before + 3);
    // Only its owner can reach it.
    expect(statSync(path.join(cache, 'daemon.sock')).mode & 0o077).toBe(0);
    expect(statSync(cache).mode & 0o777).toBe(0o700);
  });

  it('sees every edit: a finding appears, then goes, exactly as without it', () => {
    const file = path.join(repo, IMAGE_FILE);
    const clean = readFileSync(file, 'utf8');
    try {
      for (const tag of ['latest', '6.8.0', 'latest', '6.8.0']) {
        writeFileSync(file, withTag(clean, tag));
        for (const args of [
          ['validate', '-f', 'compact', IMAGE_FILE],
          ['validate', '-f', 'compact'],
        ]) {
          const viaDaemon = run(args);
          const inProcess = run([...args, '--no-daemon']);
          expect({ code: viaDaemon.code, out: viaDaemon.stdout }, viaDaemon.stderr).toEqual({
            code: inProcess.code,
            out: inProcess.stdout,
          });
          if (tag === 'latest') expect(viaDaemon.stdout).toContain(`${IMAGE_FILE}:12`);
          else expect(viaDaemon.code).toBe(0);
        }
      }
    } finally {
      writeFileSync(file, clean);
    }
  });

  it('checks an editor buffer sent on standard input', () => {
    const buffer = withTag(readFileSync(path.join(repo, IMAGE_FILE), 'utf8'), 'latest');
    const args = ['validate', '-f', 'compact', '--stdin', '--stdin-filename', IMAGE_FILE];
    const viaDaemon = run(args, { STDIN: buffer });
    expect(viaDaemon.code, viaDaemon.stderr).toBe(1);
    expect(viaDaemon.stdout).toContain(`${IMAGE_FILE}:12`);
    expect(viaDaemon.stdout).toBe(run([...args, '--no-daemon'], { STDIN: buffer }).stdout);
    // The file on disk is untouched and clean.
    expect(run(['validate', '-q', IMAGE_FILE]).code).toBe(0);
  });

  it("runs with the client's environment and reports usage errors with exit 2", () => {
    expect(run(['validate', '-q', '--no-color'], { FORCE_COLOR: '1', NO_COLOR: '' }).stdout).not.toContain(
      ANSI,
    );
    const broken = withTag(readFileSync(path.join(repo, IMAGE_FILE), 'utf8'), 'latest');
    const colored = run(['validate', '--stdin', '--stdin-filename', IMAGE_FILE], {
      FORCE_COLOR: '1',
      NO_COLOR: '',
      STDIN: broken,
    });
    expect(colored.stdout).toContain(ANSI);
    const bad = run(['validate', '--fail-level', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('fluxgate: --fail-level nope: expected error, warning or info\n');
  });

  it('is not used with --no-cache, --server-dry-run or FLUXGATE_DAEMON=0', () => {
    const before = answered();
    expect(run(['validate', '-q', '--no-cache']).code).toBe(0);
    expect(run(['validate', '-q'], { FLUXGATE_DAEMON: '0' }).code).toBe(0);
    // A dry run reads the caller's kubeconfig: here one that does not exist (exit 2, in-process).
    const dryRun = run([
      'validate',
      '-q',
      '--server-dry-run',
      '--cluster',
      'dev-aks',
      '--context',
      'x',
      '--kubeconfig',
      'missing.yaml',
    ]);
    expect(dryRun.code).toBe(2);
    expect(dryRun.stderr).toContain('missing.yaml');
    expect(answered()).toBe(before);
  });
});

describe('fluxgate daemon lifecycle', { timeout: 300_000 }, () => {
  it('stops when asked, when idle, and when fluxgate changes on disk; runs then go on in-process', async () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'fg-daemon-'));
    // A copy of fluxgate whose code can change under its daemon.
    const install = mkdtempSync(path.join(os.tmpdir(), 'fg-install-'));
    for (const dir of ['bin', 'dist'])
      cpSync(path.join(ROOT, dir), path.join(install, dir), { recursive: true });
    cpSync(path.join(ROOT, 'package.json'), path.join(install, 'package.json'));
    for (const shared of ['node_modules', 'schemas', 'policies', 'tools'])
      symlinkSync(path.join(ROOT, shared), path.join(install, shared));
    const repo = mkdtempSync(path.join(os.tmpdir(), 'fg-daemon-repo-'));
    cpSync(path.join(ROOT, 'examples/aks-fleet'), repo, { recursive: true });
    mkdirSync(path.join(repo, '.git'));
    const bin = path.join(install, 'bin/fluxgate.js');
    const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => runIn(bin, cache, repo, args, extra);
    const socket = path.join(cache, 'daemon.sock');
    try {
      // stop
      expect(run(['daemon', 'start']).code).toBe(0);
      expect(run(['daemon', 'start']).stdout).toMatch(/^fluxgate daemon already running/);
      // Another installation of the same code (this checkout) is answered, and says so with --debug.
      const same = runIn(BIN, cache, repo, ['validate', '-q', '--debug']);
      expect(same.code).toBe(0);
      expect(same.stderr).toMatch(
        /\[debug\] daemon: answered by the daemon pid \d+ \(fluxgate [^)]*\) for \//,
      );
      const status = run(['daemon', 'status']).stdout;
      expect(status).toContain(' 1 runs answered');
      expect(status).toContain(`from ${ROOT})`);
      expect(status).toContain(
        `code ${readFileSync(path.join(ROOT, 'dist/code-digest.txt'), 'utf8').trim()} in ${realpathSync(install)}`,
      );
      // An installation of other code is not: its run goes on in-process, and --debug says why.
      const other = mkdtempSync(path.join(os.tmpdir(), 'fg-install-other-'));
      cpSync(install, other, { recursive: true, verbatimSymlinks: true });
      writeFileSync(
        path.join(other, 'dist/validate.js'),
        `${readFileSync(path.join(other, 'dist/validate.js'), 'utf8')}\n// another build\n`,
      );
      writeFileSync(path.join(other, 'dist/code-digest.txt'), `${computeCodeDigest(other)}\n`);
      const refused = runIn(path.join(other, 'bin/fluxgate.js'), cache, repo, ['validate', '-q', '--debug']);
      rmSync(other, { recursive: true, force: true });
      expect(refused.code).toBe(0);
      expect(refused.stderr).toMatch(
        /\[debug\] daemon refused the run \(the daemon \(pid \d+\) runs other code: .* in \S+\); running in-process/,
      );
      expect(run(['daemon', 'status']).stdout).toContain(' 1 runs answered');
      expect(run(['daemon', 'stop']).stdout).toBe('fluxgate daemon stopped\n');
      await until('the socket is gone', () => !existsSync(socket));
      expect(run(['daemon', 'status'])).toMatchObject({ code: 1, stdout: 'no fluxgate daemon running\n' });
      expect(run(['validate', '-q']).code).toBe(0);

      // idle
      expect(run(['daemon', 'start', '--idle-timeout', '0.02']).code).toBe(0);
      await until('the idle daemon exits', () => !existsSync(socket));
      expect(readFileSync(path.join(cache, 'daemon.log'), 'utf8')).toContain(
        'stopping: idle for 0.02 minutes',
      );

      // fluxgate changes on disk (an upgrade): the daemon refuses, exits, the run goes on in-process
      expect(run(['daemon', 'start']).code).toBe(0);
      const inDaemon = run(['validate', '-f', 'compact']);
      expect(inDaemon.code).toBe(0);
      // What an upgrade in place does: other files, and their digest.
      const code = path.join(install, 'dist/validate.js');
      writeFileSync(code, `${readFileSync(code, 'utf8')}\n// upgraded\n`);
      writeFileSync(path.join(install, 'dist/code-digest.txt'), `${computeCodeDigest(install)}\n`);
      const after = run(['validate', '-f', 'compact']);
      expect(after).toMatchObject({ code: 0, stdout: inDaemon.stdout });
      await until('the outdated daemon exits', () => !existsSync(socket));
      expect(readFileSync(path.join(cache, 'daemon.log'), 'utf8')).toContain('fluxgate changed on disk');

      // FLUXGATE_DAEMON=auto starts one for the next runs (never in CI)
      expect(run(['validate', '-q'], { FLUXGATE_DAEMON: 'auto', CI: 'true' }).code).toBe(0);
      await sleep(1000);
      expect(existsSync(socket)).toBe(false);
      expect(run(['validate', '-q'], { FLUXGATE_DAEMON: 'auto' }).code).toBe(0);
      await until('the daemon started by auto answers', () => run(['daemon', 'status']).code === 0);
    } finally {
      run(['daemon', 'stop']);
      for (const dir of [cache, install, repo]) rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a client that goes away', { timeout: 300_000 }, () => {
  it('stops its run in the daemon: kustomize killed, temporary files removed, the next run answered', async () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'fg-daemon-'));
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'fg-daemon-tmp-'));
    const repo = mkdtempSync(path.join(os.tmpdir(), 'fg-daemon-repo-'));
    cpSync(path.join(ROOT, 'examples/aks-fleet'), repo, { recursive: true });
    mkdirSync(path.join(repo, '.git'));
    // A kustomize that answers `version` and then hangs on every build.
    const hanging = path.join(tmp, '..', `${path.basename(tmp)}-kustomize`);
    writeFileSync(
      hanging,
      '#!/bin/sh\nif [ "$1" = version ]; then echo v5.8.1; exit 0; fi\nexec sleep 60\n',
      {
        mode: 0o755,
      },
    );
    const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => runIn(BIN, cache, repo, args, extra);
    try {
      expect(run(['daemon', 'start'], { TMPDIR: tmp }).code).toBe(0);
      const client = spawn(process.execPath, [BIN, 'validate', '-q', '--kustomize-bin', hanging], {
        cwd: repo,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          FLUXGATE_CACHE_DIR: cache,
          FLUXGATE_KUSTOMIZE_SERVER: '0',
        },
        stdio: 'ignore',
      });
      // Wait until the build hangs (a kustomize process is running), then kill the client.
      await until('kustomize hangs', () => readdirSync(tmp).length > 0);
      await sleep(300);
      client.kill('SIGKILL');
      const started = Date.now();
      expect(run(['validate', '-q']).code).toBe(0);
      expect(Date.now() - started).toBeLessThan(20_000);
      await until('the aborted run removed its temporary files', () => readdirSync(tmp).length === 0);
      expect(spawnSync('pgrep', ['-f', hanging]).status).toBe(1);
    } finally {
      run(['daemon', 'stop']);
      for (const dir of [cache, tmp, repo]) rmSync(dir, { recursive: true, force: true });
      rmSync(hanging, { force: true });
    }
  });
});

describe('a cache directory too deep for a Unix socket', { timeout: 300_000 }, () => {
  it('is a clear error (exit 2) when starting, and validate still runs in-process', () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'fg-daemon-'));
    const cache = path.join(base, 'a'.repeat(60), 'b'.repeat(60));
    const repo = mkdtempSync(path.join(os.tmpdir(), 'fg-daemon-repo-'));
    cpSync(path.join(ROOT, 'examples/aks-fleet'), repo, { recursive: true });
    mkdirSync(path.join(repo, '.git'));
    try {
      const started = runIn(BIN, cache, repo, ['daemon', 'run']);
      expect(started.code).toBe(2);
      expect(started.stderr).toContain('longer than Unix sockets allow');
      expect(started.stderr).not.toMatch(/\n\s+at /);
      expect(runIn(BIN, cache, repo, ['validate', '-q']).code).toBe(0);
    } finally {
      for (const dir of [base, repo]) rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('something else listening on the socket', { timeout: 300_000 }, () => {
  it('is not a daemon: the run goes on in-process', async () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'fg-daemon-'));
    const repo = mkdtempSync(path.join(os.tmpdir(), 'fg-daemon-repo-'));
    cpSync(path.join(ROOT, 'examples/aks-fleet-broken'), repo, { recursive: true });
    mkdirSync(path.join(repo, '.git'));
    const stray = net.createServer((conn) => conn.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((resolve) => stray.listen(path.join(cache, 'daemon.sock'), resolve));
    try {
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'validate', '-f', 'compact'], {
          cwd: repo,
          env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', FLUXGATE_CACHE_DIR: cache },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
        });
        child.stderr.on('data', (c: Buffer) => {
          stderr += c.toString();
        });
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('[policy/image-tag-pinned]');
    } finally {
      stray.close();
      for (const dir of [cache, repo]) rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a listener that does not keep to the protocol', { timeout: 300_000 }, () => {
  /** A validate run of bin/ with a stray listener on the daemon's socket. */
  async function runAgainst(
    listener: (conn: net.Socket) => void,
    args: string[],
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'fg-daemon-'));
    const repo = mkdtempSync(path.join(os.tmpdir(), 'fg-daemon-repo-'));
    cpSync(path.join(ROOT, 'examples/aks-fleet-broken'), repo, { recursive: true });
    mkdirSync(path.join(repo, '.git'));
    const stray = net.createServer(listener);
    await new Promise<void>((resolve) => stray.listen(path.join(cache, 'daemon.sock'), resolve));
    try {
      return await new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], {
          cwd: repo,
          env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', FLUXGATE_CACHE_DIR: cache },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
        });
        child.stderr.on('data', (c: Buffer) => {
          stderr += c.toString();
        });
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    } finally {
      stray.close();
      for (const dir of [cache, repo]) rmSync(dir, { recursive: true, force: true });
    }
  }

  const validate = ['validate', '-f', 'compact', '--debug'];
  const inProcess = (result: { code: number | null; stdout: string; stderr: string }, why: string) => {
    expect(result.stderr).toContain(`[debug] daemon: ${why}`);
    expect(result.stderr).toContain('running in-process');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('[policy/image-tag-pinned]');
  };

  it('one that never answers: validate runs in-process, daemon status says none runs', async () => {
    const silent = (conn: net.Socket) => conn.on('data', () => {});
    inProcess(await runAgainst(silent, validate), 'no answer on the socket');
    const status = await runAgainst(silent, ['daemon', 'status']);
    expect(status).toMatchObject({ code: 1, stdout: 'no fluxgate daemon running\n' });
  });

  it('one that answers without ever ending a line: not buffered without bound', async () => {
    const endless = (conn: net.Socket) => {
      const chunk = Buffer.alloc(1 << 20, 'x');
      const pour = () => {
        while (!conn.destroyed && conn.write(chunk));
        if (!conn.destroyed) conn.once('drain', pour);
      };
      conn.on('error', () => {});
      conn.once('data', pour);
    };
    inProcess(await runAgainst(endless, validate), 'a reply line longer than the protocol allows');
  });

  it('one whose reply has the wrong shape: no crash, validate runs in-process', async () => {
    const wrong = (conn: net.Socket) => conn.once('data', () => conn.end('{"out":12}\n'));
    inProcess(await runAgainst(wrong, validate), 'a reply that is not the daemon protocol');
  });
});

describe('a daemon that dies or is stopped during a run', { timeout: 300_000 }, () => {
  /**
   * A daemon whose first kustomize build hangs (the kustomize records its pid), and a client run
   * through it; `stopDaemon` ends the daemon while the client waits. Later builds use the pinned
   * kustomize, so the client's answer can be compared with an in-process run.
   */
  async function interrupted(stopDaemon: (cache: string, repo: string) => void): Promise<void> {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'fg-daemon-'));
    const work = mkdtempSync(path.join(os.tmpdir(), 'fg-daemon-work-'));
    const repo = mkdtempSync(path.join(os.tmpdir(), 'fg-daemon-repo-'));
    cpSync(path.join(ROOT, 'examples/aks-fleet-broken'), repo, { recursive: true });
    mkdirSync(path.join(repo, '.git'));
    const pidFile = path.join(work, 'hanging.pid');
    const kustomize = path.join(work, 'kustomize');
    writeFileSync(
      kustomize,
      [
        '#!/bin/sh',
        'if [ "$1" = version ]; then echo v5.8.1; exit 0; fi',
        `if mkdir ${path.join(work, 'hung')} 2>/dev/null; then echo $$ > ${pidFile}.tmp; mv ${pidFile}.tmp ${pidFile}; exec sleep 120; fi`,
        `exec ${pinnedTool('kustomize')} "$@"`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const env = { FLUXGATE_KUSTOMIZE_SERVER: '0' };
    const args = ['validate', '-f', 'json', '--kustomize-bin', kustomize];
    const run = (argv: string[], extra: NodeJS.ProcessEnv = {}) =>
      runIn(BIN, cache, repo, argv, { ...env, ...extra });
    try {
      expect(run(['daemon', 'start']).code).toBe(0);
      const client = spawn(process.execPath, [BIN, ...args], {
        cwd: repo,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NO_COLOR: '1',
          FLUXGATE_CACHE_DIR: cache,
          ...env,
        },
      });
      let stdout = '';
      let stderr = '';
      client.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
      });
      client.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      const code = new Promise<number | null>((resolve) => client.on('close', resolve));
      await until('a build hangs in the daemon', () => existsSync(pidFile));
      stopDaemon(cache, repo);
      // The client gets the answer an in-process run gives: nothing was printed by the daemon.
      const inProcess = run(['validate', '--no-daemon', '-f', 'json', '--kustomize-bin', kustomize]);
      expect(await code, stderr).toBe(inProcess.code);
      expect(inProcess.code).toBe(1);
      const strip = (s: string) => {
        const parsed = JSON.parse(s) as { summary: Record<string, unknown> };
        delete parsed.summary.durationMs;
        return parsed;
      };
      expect(strip(stdout)).toEqual(strip(inProcess.stdout));
      // Whatever is left on the socket path answers nobody: runs go on in-process, at once.
      const after = run(['validate', '-q']);
      expect(after.code).toBe(1);
      expect(after.stderr).not.toMatch(/\n\s+at /);
      expect(run(['daemon', 'status']).stdout).toMatch(/no fluxgate daemon/);
      expect(statSync(cache).mode & 0o777).toBe(0o700);
    } finally {
      run(['daemon', 'stop']);
      if (existsSync(pidFile)) spawnSync('kill', ['-9', readFileSync(pidFile, 'utf8').trim()]);
      for (const dir of [cache, work, repo]) rmSync(dir, { recursive: true, force: true });
    }
  }

  it('killed (SIGKILL): the client runs in-process and a stale socket is no daemon', async () => {
    await interrupted((cache, repo) => {
      const status = runIn(BIN, cache, repo, ['daemon', 'status']);
      const pid = Number(/pid (\d+)/.exec(status.stdout)?.[1]);
      expect(pid, status.stdout).toBeGreaterThan(0);
      process.kill(pid, 'SIGKILL');
    });
  });

  it('stopped with `daemon stop`: the client runs in-process', async () => {
    await interrupted((cache, repo) => {
      expect(runIn(BIN, cache, repo, ['daemon', 'stop']).stdout).toMatch(/stopped/);
    });
  });
});
