// The command line runs fluxgate in a worker thread and supervises it from the main thread, which
// stays idle, so that:
// - `--timeout` holds whatever the run is doing: the deadline inside the run only acts between
//   steps, and a CPU-bound stage (a huge value in the policy stage) could outrun it; the watchdog
//   here stops the thread itself;
// - the run ends when it has its answer: an internal error, a promise nothing settles or a helper
//   still running cannot keep the process alive;
// - the thread has a large stack, so documents nested as deep as Flux accepts (10,000 levels)
//   are read like any other.
// What the stopped thread started goes with it: kustomize-server helpers exit with the thread
// (their stdin closes; on Linux a parent-death signal), and processes still running in its
// temporary directories are killed as those are removed.
import { Worker } from 'node:worker_threads';
import { deadlineMessage } from '../core/deadline.js';
import { removeOwnTempDirs } from '../core/temp-root.js';
import type { FromWorker, ToWorker, WorkerInput } from './worker-protocol.js';

/** Enough for 10,000 nested levels through every stage (a few MB would do for the parsers alone). */
const STACK_MB = 256;
/** How long a run may take past its deadline, or past Ctrl-C, to stop on its own. */
const GRACE_MS = 1000;

export interface SuperviseOptions {
  argv: readonly string[];
  /** Standard input the daemon client already read. */
  stdin?: string;
  /** The worker script (default: cli/worker.js); tests give one that misbehaves. */
  workerUrl?: URL;
}

/** Runs the CLI in a worker thread; resolves with the exit code once the thread is gone. */
export function supervise(options: SuperviseOptions): Promise<number> {
  const pipedStdin = options.stdin === undefined && options.argv.includes('--stdin');
  const input: WorkerInput = {
    argv: options.argv,
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    pipedStdin,
    stdoutTTY: process.stdout.isTTY === true,
    stderrTTY: process.stderr.isTTY === true,
  };
  const worker = new Worker(options.workerUrl ?? new URL('./worker.js', import.meta.url), {
    workerData: input,
    stdin: pipedStdin,
    resourceLimits: { stackSizeMb: STACK_MB },
  });
  if (pipedStdin && worker.stdin) process.stdin.pipe(worker.stdin);
  const send = (message: ToWorker) => worker.postMessage(message);

  return new Promise((resolve) => {
    let finished = false;
    let watchdog: NodeJS.Timeout | undefined;
    let expires = Number.POSITIVE_INFINITY;
    let signals = 0;
    const onSignal = () => {
      signals++;
      if (signals > 1) {
        void finish(130);
        return;
      }
      send({ type: 'abort' });
      // The run stops its builds and says "interrupted" (exit 2); if it cannot (a CPU-bound
      // stage), it is stopped with the same answer.
      setTimeout(() => void finish(2, 'fluxgate: interrupted\n'), GRACE_MS).unref();
    };
    const finish = async (code: number, message?: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(watchdog);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (pipedStdin) process.stdin.unpipe();
      if (message) process.stderr.write(message);
      await worker.terminate();
      removeOwnTempDirs();
      resolve(code);
    };
    worker.on('message', (message: FromWorker) => {
      if (finished) return;
      switch (message.type) {
        case 'out':
          (message.fd === 1 ? process.stdout : process.stderr).write(message.data);
          break;
        case 'deadline': {
          // The earliest deadline holds (a second validate run, --new-since, has its own).
          const at = Date.now() + message.seconds * 1000 + GRACE_MS;
          if (at >= expires) break;
          expires = at;
          clearTimeout(watchdog);
          watchdog = setTimeout(
            () => void finish(2, `fluxgate: ${deadlineMessage(message.seconds)}\n`),
            at - Date.now(),
          );
          break;
        }
        case 'exit':
          void finish(message.code);
          break;
      }
    });
    worker.on('error', (error: Error) => {
      const memory = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      void finish(2, `fluxgate: internal error: ${memory ? 'out of memory' : error.message}\n`);
    });
    // Messages posted before the thread ended are delivered first; then no result means a crash.
    worker.on('exit', () =>
      setImmediate(() => void finish(2, 'fluxgate: internal error: the run ended without a result\n')),
    );
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
