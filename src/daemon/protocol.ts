import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The daemon's wire format: newline-delimited JSON over a Unix socket in fluxgate's cache
 * directory (mode 0700, so only its owner can connect). One request per connection.
 */
export type DaemonRequest =
  | {
      op: 'run';
      /** The client's fluxgate installation (its package directory), for the daemon's status. */
      install: string;
      /**
       * The client's code digest (dist/code-digest.txt): the daemon answers any installation of
       * the same code. Absent (a build without one): only the daemon's own installation.
       */
      code?: string;
      argv: readonly string[];
      cwd: string;
      /** The client's whole environment: the run sees exactly it, not the daemon's. */
      env: Record<string, string | undefined>;
      stdoutTTY: boolean;
      stderrTTY: boolean;
      /** `--stdin`: the client's standard input, read whole. */
      stdin?: string;
    }
  | { op: 'status' }
  | { op: 'stop' };

export type DaemonReply =
  | { out: string }
  | { err: string }
  | { exit: number }
  /** The daemon cannot answer (its code changed on disk since it started): run in-process. */
  | { refused: string }
  | { status: DaemonStatus }
  /**
   * The request was received and is being worked on: sent at once, then every few seconds, so a
   * client can tell a daemon at work from a listener that never answers.
   */
  | { alive: true };

export interface DaemonStatus {
  pid: number;
  version: string;
  /** The daemon's code digest and installation. */
  code?: string;
  install?: string;
  /** The last runs it answered, newest last. */
  recent?: AnsweredRun[];
  startedAt: string;
  requests: number;
  idleTimeoutMinutes: number;
  rssMb: number;
}

/** One run the daemon answered, for `fluxgate daemon status`. */
export interface AnsweredRun {
  at: string;
  /** The installation the client ran from. */
  install: string;
  cwd: string;
  argv: readonly string[];
  exit: number;
  ms: number;
}

/** Where the daemon of a cache directory listens. */
export function socketPath(cacheDir: string): string {
  return path.join(cacheDir, 'daemon.sock');
}

/** How often a daemon at work says so (`{"alive":true}`). */
export const HEARTBEAT_MS = 2_000;
/** No reply line may be longer (output is sent in pieces well below it). */
export const MAX_LINE_BYTES = 4 * 2 ** 20;
/** Output is sent in pieces of at most this many characters (JSON escaping may grow them 6 times). */
export const OUTPUT_PIECE = 256 * 2 ** 10;

/**
 * Splits a stream of chunks into JSON lines (lines that are not JSON are skipped). A line longer
 * than `maxLineBytes` is not buffered: `onOverflow` is called and nothing more is read.
 */
export function lineReader(
  onMessage: (message: unknown) => void,
  limits: { maxLineBytes?: number; onOverflow?: () => void } = {},
): (chunk: Buffer | string) => void {
  let pending = '';
  let overflowed = false;
  return (chunk) => {
    if (overflowed) return;
    pending += chunk.toString();
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.trim() === '') continue;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        continue; // not this protocol: the connection ends without an answer
      }
      onMessage(message);
    }
    if (limits.maxLineBytes !== undefined && pending.length > limits.maxLineBytes) {
      overflowed = true;
      pending = '';
      limits.onOverflow?.();
    }
  };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function isAnsweredRun(v: unknown): v is AnsweredRun {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    isString(r.at) &&
    isString(r.install) &&
    isString(r.cwd) &&
    Array.isArray(r.argv) &&
    r.argv.every(isString) &&
    isCount(r.exit) &&
    typeof r.ms === 'number'
  );
}

function isStatus(v: unknown): v is DaemonStatus {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return (
    isCount(s.pid) &&
    isString(s.version) &&
    isString(s.startedAt) &&
    isCount(s.requests) &&
    typeof s.idleTimeoutMinutes === 'number' &&
    typeof s.rssMb === 'number' &&
    (s.code === undefined || isString(s.code)) &&
    (s.install === undefined || isString(s.install)) &&
    (s.recent === undefined || (Array.isArray(s.recent) && s.recent.every(isAnsweredRun)))
  );
}

/**
 * A reply line checked against the protocol: exactly one known field, of its type. Anything else
 * (a stray listener's JSON, a damaged line) is undefined, and the client does not trust the socket.
 */
export function parseReply(message: unknown): DaemonReply | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const entries = Object.entries(message);
  if (entries.length !== 1) return undefined;
  const [key, value] = entries[0]!;
  switch (key) {
    case 'out':
    case 'err':
    case 'refused':
      return isString(value) ? (message as DaemonReply) : undefined;
    case 'exit':
      return isCount(value) && value <= 255 ? (message as DaemonReply) : undefined;
    case 'status':
      return isStatus(value) ? (message as DaemonReply) : undefined;
    case 'alive':
      return value === true ? (message as DaemonReply) : undefined;
    default:
      return undefined;
  }
}

export const encode = (message: DaemonRequest | DaemonReply): string => `${JSON.stringify(message)}\n`;

/** This fluxgate's package directory (this module is <package>/dist/daemon/protocol.js). */
export function installDir(): string {
  return path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
}

/**
 * The code digest of an installation (written at build time, see src/cache/code-digest.ts), read
 * now: an upgrade in place changes it. Undefined when the build wrote none.
 */
export function codeDigestOf(install: string): string | undefined {
  try {
    return readFileSync(path.join(install, 'dist', 'code-digest.txt'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
