import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The CLI under test; FLUXGATE_HOSTILE_BIN runs the suite against another build (to compare). */
const BIN = process.env.FLUXGATE_HOSTILE_BIN ?? path.resolve(import.meta.dirname, '../../bin/fluxgate.js');

export interface BoundedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Killed at the bound: a hang. */
  killed: boolean;
  /** The largest resident memory of the process and everything it started, sampled. */
  peakBytes: number;
  /** What the run left in its temporary directory. */
  tempLeft: string[];
}

/** Processes (pid → parent) of this user, from /proc. */
function processTable(): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      out.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  return out;
}

function rssBytes(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of a process and all its descendants. */
function treeRss(root: number): number {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, parent] of table) children.set(parent, [...(children.get(parent) ?? []), pid]);
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += rssBytes(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Processes whose environment carries `marker`: what a run started and left running. */
export function processesWith(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'utf8').includes(marker)) out.push(Number(name));
    } catch {
      // gone, or not ours
    }
  }
  return out;
}

/** At most two fluxgate processes at a time: the suite shares a 2-core machine. */
let slots = 2;
const waiting: (() => void)[] = [];
export async function slot<T>(work: () => Promise<T>): Promise<T> {
  while (slots === 0) await new Promise<void>((resolve) => waiting.push(resolve));
  slots--;
  try {
    return await work();
  } finally {
    slots++;
    waiting.shift()?.();
  }
}

/**
 * Runs bin/fluxgate.js with a time bound (killed past it: a hang) and samples the memory of its
 * process tree. It gets its own TMPDIR and cache, so what it leaves there can be seen, and a
 * marker in its environment, so what it started and left running can be found. It waits for a slot.
 */
export function runBounded(
  args: readonly string[],
  options: { cwd: string; boundMs: number; stdin?: string | Buffer; env?: Record<string, string> },
): Promise<BoundedRun & { marker: string }> {
  return slot(() => runNow(args, options));
}

async function runNow(
  args: readonly string[],
  options: { cwd: string; boundMs: number; stdin?: string | Buffer; env?: Record<string, string> },
): Promise<BoundedRun & { marker: string }> {
  const temp = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-hostile-run-'));
  const tmpdir = path.join(temp, 'tmp');
  const marker = `FLUXGATE_HOSTILE_RUN=${randomUUID()}`;
  const [key, value] = marker.split('=') as [string, string];
  mkdirSync(tmpdir);
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: {
      ...process.env,
      TMPDIR: tmpdir,
      FLUXGATE_CACHE_DIR: path.join(temp, 'cache'),
      FLUXGATE_DAEMON: '0',
      NO_COLOR: '1',
      [key]: value,
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  child.stdin.on('error', () => {}); // a run that does not read its input
  child.stdin.end(options.stdin ?? '');
  let peakBytes = 0;
  const sample = () => {
    if (child.pid) peakBytes = Math.max(peakBytes, treeRss(child.pid));
  };
  const sampler = setInterval(sample, 100);
  let killed = false;
  const bound = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, options.boundMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s])),
  );
  clearInterval(sampler);
  clearTimeout(bound);
  const tempLeft = readdirSync(tmpdir);
  rmSync(temp, { recursive: true, force: true });
  return {
    code,
    signal,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    killed,
    peakBytes,
    tempLeft,
    marker: value,
  };
}
