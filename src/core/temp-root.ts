import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * fluxgate's temporary copies of a repository (builds, staged snapshots, exported refs: they may
 * hold rendered Secrets) live in one directory per user, `$TMPDIR/fluxgate-<uid>` (mode 0700),
 * each entry named after the process that made it. A process killed with SIGKILL removes nothing:
 * the next fluxgate to make a copy removes the entries of processes that are gone, and ends what
 * still runs in them (a kustomize the dead process started).
 */

/** The owner of an entry: its pid and, on Linux, its start time (a reused pid is another process). */
function ownerToken(pid: number): string {
  const started = startTime(pid);
  return started === undefined ? String(pid) : `${pid}.${started}`;
}

/** Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function ownerAlive(token: string): boolean {
  const [pidText, started] = token.split('.');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return true; // not ours to judge
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return started === undefined || startTime(pid) === undefined || startTime(pid) === started;
}

/**
 * The per-user directory, created 0700 (unless `create` is false); undefined when it is not
 * safely ours (then plain TMPDIR) or, not created, does not exist.
 */
function userRoot(create = true): string | undefined {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  const root = path.join(os.tmpdir(), `fluxgate-${uid}`);
  try {
    if (create) {
      mkdirSync(root, { mode: 0o700 });
      return root;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  // Someone else's directory (or a link to one) under that name in a shared /tmp: not used.
  const stat = lstatSync(root, { throwIfNoEntry: false });
  return stat?.isDirectory() && stat.uid === uid && (stat.mode & 0o077) === 0 ? root : undefined;
}

/** Processes (Linux) whose working directory or arguments are inside `dir`. */
function processesIn(dir: string): number[] {
  const out: number[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return out;
  }
  for (const name of pids) {
    try {
      const cwd = readlinkSync(`/proc/${name}/cwd`);
      const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if ([cwd, ...args].some((p) => p === dir || p.startsWith(`${dir}/`))) out.push(Number(name));
    } catch {
      // gone, or another user's
    }
  }
  return out;
}

/** Marks an entry kept on purpose (`--keep-temp`): no sweep removes it. */
const KEEP_MARK = '.fluxgate-keep';

/** Keeps a directory made by makeOwnedTempDir after its process ends. */
export function keepOwnedTempDir(dir: string): void {
  try {
    writeFileSync(path.join(dir, KEEP_MARK), '');
  } catch {
    // gone already
  }
}

/** Removes the entries whose owner is gone, first killing what still runs in them. */
export function sweepTempRoot(root: string): number {
  return removeEntries(root, (owner) => !ownerAlive(owner));
}

/**
 * Removes every entry this process made, first killing what still runs in them (kept ones
 * stay): what a run stopped from outside its work (the CLI's watchdog, a second Ctrl-C) left.
 */
export function removeOwnTempDirs(): number {
  const root = userRoot(false);
  if (!root) return 0;
  const own = ownerToken(process.pid);
  const removed = removeEntries(root, (owner) => owner === own);
  try {
    rmdirSync(root);
  } catch {
    // Not empty (another run's copies): fine.
  }
  return removed;
}

function removeEntries(root: string, remove: (owner: string) => boolean): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return 0;
  }
  for (const name of names) {
    const owner = /^[a-z]+-(\d+(?:\.\d+)?)-/.exec(name)?.[1];
    const entry = path.join(root, name);
    if (owner === undefined || !remove(owner) || existsSync(path.join(entry, KEEP_MARK))) continue;
    for (const pid of processesIn(entry)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    try {
      rmSync(entry, { recursive: true, force: true, maxRetries: 2 });
      removed++;
    } catch {
      // the next run tries again
    }
  }
  return removed;
}

let swept = false;

/**
 * A new private directory for one temporary copy, `<kind>-<owner>-XXXXXX` in the per-user
 * directory. The first call of a process sweeps what dead processes left there.
 */
export function makeOwnedTempDir(kind: string): string {
  for (let attempt = 0; ; attempt++) {
    const root = userRoot();
    if (!root) return mkdtempSync(path.join(os.tmpdir(), `fluxgate-${kind}-`));
    if (!swept) {
      swept = true;
      sweepTempRoot(root);
    }
    try {
      return mkdtempSync(path.join(root, `${kind}-${ownerToken(process.pid)}-`));
    } catch (error) {
      // Another process removed the (then empty) per-user directory in between: make it again.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 3) throw error;
    }
  }
}

/** Removes a directory made by makeOwnedTempDir, and the per-user directory once it is empty. */
export function removeOwnedTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  const root = path.dirname(dir);
  if (path.basename(root) !== `fluxgate-${process.getuid?.()}`) return;
  try {
    rmdirSync(root);
  } catch {
    // Not empty (another run's copies) or gone: fine.
  }
}
