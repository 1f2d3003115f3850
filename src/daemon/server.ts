import { existsSync, mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { Readable } from 'node:stream';
import { computeCodeIdentity } from '../cache/code-identity.js';
import { keepInMemory } from '../cache/store.js';
import type { CliIo } from '../cli/io.js';
import { UsageError } from '../core/errors.js';
import { fluxgateVersion } from '../core/package-files.js';
import { keepParsed } from '../load/load-file.js';
import { keepPolicyResults } from '../policy/run-policy-check.js';
import { keepBuildServers } from '../render/kustomize/build-server.js';
import { request } from './client.js';
import {
  type AnsweredRun,
  codeDigestOf,
  type DaemonReply,
  type DaemonRequest,
  encode,
  HEARTBEAT_MS,
  installDir,
  lineReader,
  OUTPUT_PIECE,
  socketPath,
} from './protocol.js';

/** Cache entries kept in memory between runs, by serialized size (a fleet of 10,000 objects: ~35 MB). */
const MEMORY_BYTES = 64 * 2 ** 20;
/** Built-in policy results kept between runs (one per object and cluster, roughly). */
const POLICY_RESULTS = 50_000;
/** Parsed YAML files kept between runs (unchanged text: not parsed again), by text size. */
const PARSED_BYTES = 64 * 2 ** 20;
/** The longest request line read. */
const MAX_REQUEST_BYTES = 256 * 2 ** 20;
/** Runs listed by `fluxgate daemon status`. */
const RECENT_RUNS = 20;

/**
 * The identity of the daemon's code, read from disk now: the build's content digest, else (a
 * build that wrote none) the size and modification times of its files.
 */
function ownIdentity(): string {
  return codeDigestOf(installDir()) ?? computeCodeIdentity();
}

export interface DaemonOptions {
  cacheDir: string;
  idleTimeoutMinutes: number;
  /** One line per event (start, stop, failures): the daemon's log. */
  log: (line: string) => void;
  /**
   * The CLI's `main`, which answers each run: passed in by the CLI, so the daemon depends on no
   * CLI module (imports go one way, toward the CLI).
   */
  main: (io: CliIo) => Promise<number>;
}

/** Whether a daemon answers on the cache directory's socket. */
export async function daemonRunning(cacheDir: string): Promise<boolean> {
  if (!existsSync(socketPath(cacheDir))) return false;
  return (await request(cacheDir, { op: 'status' }, () => true)).outcome === 'done';
}

/**
 * Serves `validate` runs on the cache directory's socket until stopped, idle for
 * `idleTimeoutMinutes`, or its own code changes on disk. Runs go one at a time, in the order they
 * arrive, through the CLI's own `main`: the same output and exit code as a run in-process. A
 * client that goes away (Ctrl-C) aborts its run.
 */
export async function serveDaemon(options: DaemonOptions): Promise<void> {
  const { cacheDir, log } = options;
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  const socket = socketPath(cacheDir);
  // sockaddr_un holds 108 bytes on Linux, 104 on macOS, the terminating NUL included.
  if (Buffer.byteLength(socket) > 103)
    throw new UsageError(
      `the daemon's socket path ${socket} is longer than Unix sockets allow (103 bytes): set FLUXGATE_CACHE_DIR to a shorter directory`,
    );
  if (await daemonRunning(cacheDir)) throw new UsageError(`a fluxgate daemon already runs on ${socket}`);
  rmSync(socket, { force: true }); // left by a daemon that was killed
  const identity = ownIdentity();
  const install = installDir();
  const recent: AnsweredRun[] = [];
  // Runs reuse cache entries in memory (bounded by their serialized size).
  keepInMemory(MEMORY_BYTES);
  keepParsed(PARSED_BYTES);
  keepBuildServers(true);
  keepPolicyResults(POLICY_RESULTS);
  const { main } = options;
  const startedAt = new Date();
  let requests = 0;
  let queue = Promise.resolve();
  let idle: NodeJS.Timeout | undefined;
  let closing = false;
  // Connections of runs in progress or waiting for their turn.
  const runs = new Set<net.Socket>();

  const server = net.createServer();
  const stop = (why: string) => {
    if (closing) return;
    closing = true;
    clearTimeout(idle);
    log(`stopping: ${why}`);
    server.close();
    rmSync(socket, { force: true });
  };
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(
      () => stop(`idle for ${options.idleTimeoutMinutes} minutes`),
      options.idleTimeoutMinutes * 60_000,
    );
  };

  const run = async (conn: net.Socket, message: Extract<DaemonRequest, { op: 'run' }>) => {
    const send = (reply: DaemonReply) => {
      if (!conn.destroyed) conn.write(encode(reply));
    };
    // Output in pieces: no reply line grows past what a client accepts.
    const output = (key: 'out' | 'err', chunk: string) => {
      for (let at = 0; at < chunk.length; at += OUTPUT_PIECE)
        send({ [key]: chunk.slice(at, at + OUTPUT_PIECE) } as DaemonReply);
    };
    const client = new AbortController();
    runs.add(conn);
    conn.on('close', () => {
      runs.delete(conn);
      client.abort();
    });
    const task = async () => {
      if (client.signal.aborted || closing) return void conn.destroy();
      // An upgraded or rebuilt fluxgate: its runs are not this daemon's to answer.
      if (ownIdentity() !== identity) {
        send({ refused: 'fluxgate changed on disk since the daemon started' });
        conn.end();
        return stop('fluxgate changed on disk');
      }
      // Any installation of the same code is answered (pre-commit's, the repository's, the
      // editor's); another version or build is not.
      if (message.install !== install && message.code !== identity) {
        send({
          refused: `the daemon (pid ${process.pid}) runs other code: fluxgate ${fluxgateVersion()} (${identity}) in ${install}; this is ${message.code ?? 'a build without a code digest'} in ${message.install}`,
        });
        return void conn.end();
      }
      clearTimeout(idle);
      const started = performance.now();
      if (message.argv.includes('--debug'))
        send({
          err: `[debug] daemon: answered by the daemon pid ${process.pid} (fluxgate ${fluxgateVersion()}, code ${identity}, ${install}) for ${message.install}\n`,
        });
      const exit = await main({
        argv: message.argv,
        cwd: message.cwd,
        env: message.env,
        exactEnv: true,
        signal: client.signal,
        stdout: { write: (chunk: string) => output('out', String(chunk)), isTTY: message.stdoutTTY },
        stderr: { write: (chunk: string) => output('err', String(chunk)), isTTY: message.stderrTTY },
        ...(message.stdin !== undefined ? { stdin: Readable.from([message.stdin]) } : {}),
      });
      requests++;
      recent.push({
        at: new Date().toISOString(),
        install: message.install,
        cwd: message.cwd,
        argv: message.argv,
        exit,
        ms: Math.round(performance.now() - started),
      });
      if (recent.length > RECENT_RUNS) recent.shift();
      send({ exit });
      conn.end();
      if (!closing) armIdle();
    };
    const done = queue.then(task);
    // A run that fails (it should not: main reports its errors) must not stop the runs after it.
    queue = done.catch(() => {});
    await done;
  };

  /** Tells the client the request is being worked on, now and every HEARTBEAT_MS until it ends. */
  const heartbeat = (conn: net.Socket) => {
    const beat = () => {
      if (!conn.destroyed && conn.writable) conn.write(encode({ alive: true }));
    };
    beat();
    const timer = setInterval(beat, HEARTBEAT_MS);
    timer.unref();
    conn.on('close', () => clearInterval(timer));
    conn.on('finish', () => clearInterval(timer));
  };

  server.on('connection', (conn) => {
    conn.on('error', () => {}); // a client killed mid-reply
    let handled = false;
    conn.on(
      'data',
      lineReader(
        (raw) => {
          if (handled) return;
          handled = true;
          const message = raw as DaemonRequest;
          if (message.op === 'status') {
            conn.end(
              encode({
                status: {
                  pid: process.pid,
                  version: fluxgateVersion(),
                  code: identity,
                  install,
                  recent,
                  startedAt: startedAt.toISOString(),
                  requests,
                  idleTimeoutMinutes: options.idleTimeoutMinutes,
                  rssMb: Math.round(process.memoryUsage.rss() / 2 ** 20),
                },
              }),
            );
          } else if (message.op === 'stop') {
            heartbeat(conn);
            // At once: runs in progress or waiting are dropped (aborted, their builds killed) and
            // their clients, which got no output yet, run in-process. Stopped when they have ended.
            stop('asked to stop');
            for (const dropped of runs) dropped.destroy();
            queue = queue.then(() => void conn.end(encode({ exit: 0 })));
          } else if (message.op === 'run') {
            heartbeat(conn);
            run(conn, message).catch((error: unknown) => {
              log(`run failed: ${(error as Error).stack ?? error}`);
              conn.destroy();
            });
          } else conn.destroy();
        },
        // A request is a command line and perhaps an editor buffer: a line this long is not one.
        { maxLineBytes: MAX_REQUEST_BYTES, onOverflow: () => conn.destroy() },
      ),
    );
  });

  // Only the owner may connect: the socket is created without group or other permissions (and
  // the cache directory is 0700 besides).
  const umask = process.umask(0o077);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socket, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(umask);
  }
  const onSignal = () => stop('signal');
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  log(`fluxgate ${fluxgateVersion()} daemon pid ${process.pid} listening on ${socket}`);
  armIdle();
  await new Promise<void>((resolve) => server.on('close', () => resolve()));
  await queue;
  keepBuildServers(false);
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);
}
