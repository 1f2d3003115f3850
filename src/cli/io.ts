/** Everything the CLI needs from its environment, injected so tests run it in-process. */
export interface CliIo {
  argv: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  stdin?: NodeJS.ReadableStream;
  /**
   * `env` is the whole environment (the daemon runs a client's command line): tools see exactly
   * it. Otherwise tools see the process's environment with `env` on top.
   */
  exactEnv?: boolean;
  /** Aborts the run like Ctrl-C (the daemon: its client went away; the CLI's supervisor: a signal). */
  signal?: AbortSignal;
  /** Told each validate run's deadline in seconds (the supervisor's watchdog, supervise.ts). */
  onDeadline?: (seconds: number) => void;
}
