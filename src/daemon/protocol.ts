import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The daemon's wire format: newline-delimited JSON over a Unix socket in fluxgate's cache
 * directory (mode 0700, so only its owner can connect). One request per connection.
 */
export type DaemonRequest =
  | {
      op: 'run';
      /** The client's fluxgate installation (its package directory): only that one's daemon answers. */
      install: string;
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
  | { status: DaemonStatus };

export interface DaemonStatus {
  pid: number;
  version: string;
  startedAt: string;
  requests: number;
  idleTimeoutMinutes: number;
  rssMb: number;
}

/** Where the daemon of a cache directory listens. */
export function socketPath(cacheDir: string): string {
  return path.join(cacheDir, 'daemon.sock');
}

/** Splits a stream of chunks into JSON lines (lines that are not JSON are skipped). */
export function lineReader(onMessage: (message: unknown) => void): (chunk: Buffer | string) => void {
  let pending = '';
  return (chunk) => {
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
  };
}

export const encode = (message: DaemonRequest | DaemonReply): string => `${JSON.stringify(message)}\n`;

/** This fluxgate's package directory (this module is <package>/dist/daemon/protocol.js). */
export function installDir(): string {
  return path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
}
