import { existsSync } from 'node:fs';
import net from 'node:net';
import { type Env, fluxgateCacheDir } from '../cache/cache-dir.js';
import {
  codeDigestOf,
  type DaemonReply,
  type DaemonRequest,
  encode,
  installDir,
  lineReader,
  MAX_LINE_BYTES,
  parseReply,
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

/** How long a daemon has to accept the connection and say it is at work. */
export const FIRST_REPLY_MS = 5_000;
/** How long a daemon at work may stay silent (it says so every HEARTBEAT_MS). */
export const SILENCE_MS = 60_000;

export type RequestOutcome =
  | { outcome: 'done' }
  /** Nothing was received: the caller may run the command itself. */
  | { outcome: 'no-daemon'; why: string }
  /** Replies were received, then the connection ended or went wrong. */
  | { outcome: 'lost'; why: string };

/**
 * Sends one request to the daemon of `cacheDir`. The socket is not trusted: the connection and the
 * first reply must come within FIRST_REPLY_MS, each later reply within SILENCE_MS, no reply line may
 * exceed MAX_LINE_BYTES, and every reply must be one the protocol knows. `onReply` returns true
 * when the answer is complete.
 */
export function request(
  cacheDir: string,
  message: DaemonRequest,
  onReply: (reply: DaemonReply) => boolean | undefined,
  limits: { firstReplyMs?: number; silenceMs?: number } = {},
): Promise<RequestOutcome> {
  return new Promise((resolve) => {
    let replied = false;
    let settled = false;
    const conn = net.connect(socketPath(cacheDir));
    let timer: NodeJS.Timeout | undefined;
    const settle = (outcome: RequestOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      conn.destroy();
      resolve(outcome);
    };
    const fail = (why: string) => settle(replied ? { outcome: 'lost', why } : { outcome: 'no-daemon', why });
    const wait = (ms: number, why: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(why), ms);
    };
    wait(limits.firstReplyMs ?? FIRST_REPLY_MS, 'no answer on the socket');
    conn.on('connect', () => conn.write(encode(message)));
    conn.on(
      'data',
      lineReader(
        (raw) => {
          if (settled) return;
          const reply = parseReply(raw);
          if (!reply)
            return fail(`a reply that is not the daemon protocol: ${JSON.stringify(raw).slice(0, 80)}`);
          replied = true;
          wait(limits.silenceMs ?? SILENCE_MS, 'the daemon went silent');
          if ('alive' in reply) return;
          if (onReply(reply)) settle({ outcome: 'done' });
        },
        {
          maxLineBytes: MAX_LINE_BYTES,
          onOverflow: () => fail('a reply line longer than the protocol allows'),
        },
      ),
    );
    conn.on('error', (error) => fail(error.message));
    conn.on('close', () => fail('the connection closed'));
  });
}

/**
 * Runs a `validate` command line in the daemon of the cache directory, when one listens.
 * Output and exit code are the daemon's; anything else (no daemon, a daemon whose code is older
 * than this fluxgate's) is a fallback to an in-process run.
 */
export async function runViaDaemon(io: ClientIo): Promise<ClientOutcome> {
  const cacheDir = fluxgateCacheDir(io.env);
  if (!cacheDir || !daemonEligible(io.argv, io.env)) return { fallback: true };
  if (!existsSync(socketPath(cacheDir))) {
    debug(io, `daemon: none listens on ${socketPath(cacheDir)}; running in-process`);
    return { fallback: true };
  }
  const stdin = io.argv.includes('--stdin') ? await readAll(io.stdin) : undefined;
  let exit: number | undefined;
  let output = false;
  const install = installDir();
  const code = codeDigestOf(install);
  const result = await request(
    cacheDir,
    {
      op: 'run',
      install,
      ...(code ? { code } : {}),
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
      } else if ('refused' in reply) {
        debug(io, `daemon refused the run (${reply.refused}); running in-process`);
        return true;
      }
      return false;
    },
  );
  if (exit !== undefined) return { exit };
  if (result.outcome !== 'done' && output) {
    // Half a report was printed: running again would print a second one.
    io.stderr.write(
      `fluxgate: the daemon stopped during the run (${result.why}); run again (or with --no-daemon)\n`,
    );
    return { exit: 2 };
  }
  if (result.outcome !== 'done') debug(io, `daemon: ${result.why}; running in-process`);
  return { fallback: true, ...(stdin !== undefined ? { stdin } : {}) };
}

/** A `--debug` line of the client (the in-process run prints its own after it). */
function debug(io: ClientIo, message: string): void {
  const flags = io.argv.slice(0, io.argv.includes('--') ? io.argv.indexOf('--') : undefined);
  if (flags.includes('--debug')) io.stderr.write(`[debug] ${message}\n`);
}
