// The CLI's worker thread (see supervise.ts): runs `main` with the process's I/O carried over
// messages, so the supervisor can stop it whatever it is doing.
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import type { CliIo } from './io.js';
import type { FromWorker, ToWorker, WorkerInput } from './worker-protocol.js';

type Bundle = typeof import('./main.js');

const port = parentPort;
if (!port) throw new Error('cli/worker.js runs as a worker thread of bin/fluxgate.js');
const input = workerData as WorkerInput;
const post = (message: FromWorker) => port.postMessage(message);
const controller = new AbortController();
port.on('message', (message: ToWorker) => {
  if (message.type === 'abort') controller.abort();
});

// The bundle (dist/bundle/main.js) rather than dist/cli/main.js: one file to load, as bin/ did.
const bundle = (await import(new URL('../bundle/main.js', import.meta.url).href)) as Bundle;
const io: CliIo = {
  argv: input.argv,
  cwd: process.cwd(),
  env: process.env,
  stdout: {
    write: (data: string) => post({ type: 'out', fd: 1, data: String(data) }),
    isTTY: input.stdoutTTY,
  },
  stderr: {
    write: (data: string) => post({ type: 'out', fd: 2, data: String(data) }),
    isTTY: input.stderrTTY,
  },
  ...(input.stdin !== undefined
    ? { stdin: Readable.from([input.stdin]) }
    : input.pipedStdin
      ? { stdin: process.stdin }
      : {}),
  signal: controller.signal,
  onDeadline: (seconds) => post({ type: 'deadline', seconds }),
};
// Started beside the run, and spawned before the run's end stops this thread.
const daemon = bundle.autoStartDaemon(io);
const code = await bundle.main(io);
await daemon;
post({ type: 'exit', code });
