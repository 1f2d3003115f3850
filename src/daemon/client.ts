import { existsSync } from 'node:fs';
import net from 'node:net';
import { type Env, fluxgateCacheDir } from '../cache/cache-dir.js';
import {
  type DaemonReply,
  type DaemonRequest,
  encode,
  installDir,
  lineReader,
  socketPath,
} from './protocol.js';

/**
 * The client side of `fluxgate daemon`, loaded by bin/ before anything else: it only uses node's
 * own modules, so a run the daemon answers costs node's start-up and one socket round trip.
 */

export interface ClientIo {
  argv: readonly string[];
  cwd: string;
  env: Env;
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  stdin?: NodeJS.ReadableStream;
}

/** The daemon answered (its exit code), or the run is the caller's to do (with stdin, if read). */
export type ClientOutcome = { exit: number } | { fallback: true; stdin?: string };

/** Flags whose runs stay in-process. */
const IN_PROCESS = new Set([
  '--no-daemon',
  // Asked to cache nothing: a cold run.
  '--no-cache',
  '--help',
  '-h',
  // The Kubernetes client reads the process's environment and files (kubeconfig exec plugins,
  // proxies): a dry run uses the caller's own, never the daemon's.
  '--server-dry-run',
]);

/**
 * Whether the daemon may answer this command line: `validate` runs only, unless turned off
 * (`FLUXGATE_DAEMON=0`) or one of the flags above is given.
 */
export function daemonEligible(argv: readonly string[], env: Env): boolean {
  if (argv[0] !== 'validate') return false;
  if (env.FLUXGATE_DAEMON === '0' || env.FLUXGATE_DAEMON === 'off') return false;
  const flags = argv.slice(1, argv.includes('--') ? argv.indexOf('--') : undefined);
  return !flags.some((a) => IN_PROCESS.has(a));
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<string | undefined> {
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Sends one request to the daemon of `cacheDir`; undefined when none listens. */
export function request(
  cacheDir: string,
  message: DaemonRequest,
  onReply: (reply: DaemonReply) => boolean | undefined,
): Promise<'done' | 'no-daemon' | 'lost'> {
  return new Promise((resolve) => {
    let replied = false;
    let settled = false;
    const settle = (outcome: 'done' | 'no-daemon' | 'lost') => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const conn = net.connect(socketPath(cacheDir));
    conn.on('connect', () => conn.write(encode(message)));
    conn.on(
      'data',
      lineReader((reply) => {
        replied = true;
        if (onReply(reply as DaemonReply)) {
          settle('done');
          conn.end();
        }
      }),
    );
    const lost = () => settle(replied ? 'lost' : 'no-daemon');
    conn.on('error', lost);
    conn.on('close', lost);
  });
}

/**
 * Runs a `validate` command line in the daemon of the cache directory, when one listens.
 * Output and exit code are the daemon's; anything else (no daemon, a daemon whose code is older
 * than this fluxgate's) is a fallback to an in-process run.
 */
export async function runViaDaemon(io: ClientIo): Promise<ClientOutcome> {
  const cacheDir = fluxgateCacheDir(io.env);
  if (!cacheDir || !daemonEligible(io.argv, io.env) || !existsSync(socketPath(cacheDir)))
    return { fallback: true };
  const stdin = io.argv.includes('--stdin') ? await readAll(io.stdin) : undefined;
  let exit: number | undefined;
  let output = false;
  const outcome = await request(
    cacheDir,
    {
      op: 'run',
      install: installDir(),
      argv: io.argv,
      cwd: io.cwd,
      env: { ...io.env },
      stdoutTTY: io.stdout.isTTY === true,
      stderrTTY: io.stderr.isTTY === true,
      ...(stdin !== undefined ? { stdin } : {}),
    },
    (reply) => {
      if ('out' in reply) {
        output = true;
        io.stdout.write(reply.out);
      } else if ('err' in reply) {
        output = true;
        io.stderr.write(reply.err);
      } else if ('exit' in reply) {
        exit = reply.exit;
        return true;
      } else if ('refused' in reply) return true;
      return false;
    },
  );
  if (exit !== undefined) return { exit };
  if (outcome === 'lost' && output) {
    // Half a report was printed: running again would print a second one.
    io.stderr.write('fluxgate: the daemon stopped during the run; run again (or with --no-daemon)\n');
    return { exit: 2 };
  }
  return { fallback: true, ...(stdin !== undefined ? { stdin } : {}) };
}
