#!/usr/bin/env node
import { Readable } from 'node:stream';
import { runViaDaemon } from '../dist/daemon/client.js';

const io = {
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
};

// A running `fluxgate daemon` answers validate runs without loading fluxgate here.
const viaDaemon = await runViaDaemon(io);
if ('exit' in viaDaemon) process.exitCode = viaDaemon.exit;
else {
  if (viaDaemon.stdin !== undefined) io.stdin = Readable.from([viaDaemon.stdin]);
  const { main, autoStartDaemon } = await import('../dist/bundle/main.js');
  autoStartDaemon(io);
  process.exitCode = await main(io);
}
