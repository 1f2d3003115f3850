#!/usr/bin/env node
import { Readable } from 'node:stream';
import { runViaDaemon } from '../dist/daemon/client.js';

const argv = process.argv.slice(2);
const io = { argv, cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr };

// A running `fluxgate daemon` answers validate runs without loading fluxgate here.
const viaDaemon = await runViaDaemon({ ...io, stdin: process.stdin });
if ('exit' in viaDaemon) process.exitCode = viaDaemon.exit;
else if (argv[0] === 'daemon') {
  // The daemon handles its own signals and lives long: it runs on this thread.
  const { main } = await import('../dist/bundle/main.js');
  const stdin = viaDaemon.stdin === undefined ? process.stdin : Readable.from([viaDaemon.stdin]);
  process.exitCode = await main({ ...io, stdin });
} else {
  // Everything else runs in a worker thread this one supervises (src/cli/supervise.ts).
  const { supervise } = await import('../dist/cli/supervise.js');
  process.exitCode = await supervise({
    argv,
    ...(viaDaemon.stdin !== undefined ? { stdin: viaDaemon.stdin } : {}),
  });
}
// The answer is out: nothing left on this thread (a piped stdin) may hold the process longer.
if (argv[0] !== 'daemon') setTimeout(() => process.exit(), 1000).unref();
