import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fluxgateCacheDir } from '../cache/cache-dir.js';
import { UsageError } from '../core/errors.js';
import { packageFile } from '../core/package-files.js';
import { request } from '../daemon/client.js';
import type { DaemonStatus } from '../daemon/protocol.js';
import { DAEMON_HELP } from './help.js';
import { toolEnv } from './interrupt.js';
import type { CliIo } from './io.js';

export const DEFAULT_IDLE_MINUTES = 30;

function cacheDirOf(io: CliIo): string {
  const dir = fluxgateCacheDir(io.env);
  if (!dir) throw new UsageError('no cache directory: set FLUXGATE_CACHE_DIR or HOME');
  return dir;
}

async function status(cacheDir: string): Promise<DaemonStatus | undefined> {
  let found: DaemonStatus | undefined;
  await request(cacheDir, { op: 'status' }, (reply) => {
    if ('status' in reply) found = reply.status;
    return true;
  });
  return found;
}

function idleMinutes(args: readonly string[]): number {
  const i = args.indexOf('--idle-timeout');
  if (i < 0) return DEFAULT_IDLE_MINUTES;
  const n = Number(args[i + 1]);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--idle-timeout ${args[i + 1] ?? ''}: expected a positive number of minutes`);
  return n;
}

/**
 * Starts a daemon in the background, its output in `daemon.log` of the cache directory. With
 * `wait`, returns once it answers (or fails after 10 s).
 */
export async function startDaemon(
  env: Readonly<Record<string, string | undefined>>,
  cacheDir: string,
  idle: number,
  wait: boolean,
): Promise<DaemonStatus | undefined> {
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  const log = openSync(path.join(cacheDir, 'daemon.log'), 'a', 0o600);
  const child = spawn(
    process.execPath,
    [packageFile('bin/fluxgate.js'), 'daemon', 'run', '--idle-timeout', String(idle)],
    {
      cwd: cacheDir,
      env: { ...env, FLUXGATE_CACHE_DIR: cacheDir },
      detached: true,
      stdio: ['ignore', log, log],
    },
  );
  child.unref();
  if (!wait) return undefined;
  for (let waited = 0; waited < 10_000; waited += 50) {
    const found = await status(cacheDir);
    if (found) return found;
    if (child.exitCode !== null) break;
    await sleep(50);
  }
  throw new UsageError(`the daemon did not start; see ${path.join(cacheDir, 'daemon.log')}`);
}

const describe = (s: DaemonStatus) =>
  `pid ${s.pid}, fluxgate ${s.version}, up since ${s.startedAt}, ${s.requests} runs answered, ` +
  `${s.rssMb} MB, exits after ${s.idleTimeoutMinutes} idle minutes`;

/** The daemon's code and the runs it answered last, one line each (`fluxgate daemon status`). */
const details = (s: DaemonStatus) =>
  [
    ...(s.install ? [`  code ${s.code ?? '?'} in ${s.install}`] : []),
    ...(s.recent ?? []).map(
      (r) => `  ${r.at} exit ${r.exit} in ${r.ms} ms: ${r.argv.join(' ')} (in ${r.cwd}, from ${r.install})`,
    ),
  ]
    .map((line) => `${line}\n`)
    .join('');

/** `fluxgate daemon start|stop|status|run`. */
export async function runDaemonCommand(
  io: CliIo,
  args: readonly string[],
  /** The CLI's main, which the daemon answers each run with (passed down, not imported back). */
  main: (io: CliIo) => Promise<number>,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.stdout.write(DAEMON_HELP);
    return sub === undefined ? 2 : 0;
  }
  if (process.platform === 'win32') throw new UsageError('fluxgate daemon needs Unix sockets (Linux, macOS)');
  const cacheDir = cacheDirOf(io);
  switch (sub) {
    case 'start': {
      const running = await status(cacheDir);
      if (running) {
        io.stdout.write(`fluxgate daemon already running: ${describe(running)}\n`);
        return 0;
      }
      const started = await startDaemon(toolEnv(io), cacheDir, idleMinutes(rest), true);
      io.stdout.write(`fluxgate daemon started: ${started ? describe(started) : ''}\n`);
      return 0;
    }
    case 'stop': {
      const outcome = await request(cacheDir, { op: 'stop' }, () => true);
      io.stdout.write(
        outcome.outcome === 'done' ? 'fluxgate daemon stopped\n' : 'no fluxgate daemon running\n',
      );
      return 0;
    }
    case 'status': {
      const running = await status(cacheDir);
      io.stdout.write(
        running
          ? `fluxgate daemon running: ${describe(running)}\n${details(running)}`
          : 'no fluxgate daemon running\n',
      );
      return running ? 0 : 1;
    }
    case 'run': {
      const { serveDaemon } = await import('../daemon/server.js');
      await serveDaemon({
        cacheDir,
        idleTimeoutMinutes: idleMinutes(rest),
        log: (line) => io.stderr.write(`${new Date().toISOString()} ${line}\n`),
        main,
      });
      return 0;
    }
    default:
      throw new UsageError(`unknown daemon command "${sub}"\nRun 'fluxgate daemon --help' for usage.`);
  }
}
