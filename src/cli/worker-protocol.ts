/** What the CLI's supervisor (supervise.ts) and its worker thread (worker.ts) say to each other. */

export interface WorkerInput {
  argv: readonly string[];
  /** Standard input, already read (the daemon client read it before falling back). */
  stdin?: string;
  /** Standard input is piped to the worker (`--stdin`, not read yet). */
  pipedStdin: boolean;
  stdoutTTY: boolean;
  stderrTTY: boolean;
}

/** From the supervisor: the first Ctrl-C or SIGTERM. */
export type ToWorker = { type: 'abort' };

export type FromWorker =
  | { type: 'out'; fd: 1 | 2; data: string }
  /** A validate run's deadline, in seconds from now. */
  | { type: 'deadline'; seconds: number }
  | { type: 'exit'; code: number };
