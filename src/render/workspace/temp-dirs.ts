import { keepOwnedTempDir, makeOwnedTempDir, removeOwnedTempDir } from '../../core/temp-root.js';

/**
 * Every temporary directory fluxgate creates for builds, so they can be removed when the run ends,
 * fails, times out or is interrupted. The CLI calls `removeAllTempDirs()` from its exit and signal
 * handlers (only src/cli touches `process` events); normal runs remove their own directories.
 */
const live = new Set<string>();

/**
 * A new directory outside any repository: in fluxgate's per-user temporary directory, named after
 * this process, so that what a killed run leaves is removed by the next one (core/temp-root.ts).
 */
export function makeTempDir(kind = 'build'): string {
  const dir = makeOwnedTempDir(kind);
  live.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  live.delete(dir);
  removeOwnedTempDir(dir);
}

/** Synchronous, so it can run in a process `exit` handler. */
export function removeAllTempDirs(): void {
  for (const dir of [...live]) {
    try {
      removeTempDir(dir);
    } catch {
      // Best effort: nothing else can be done at exit.
    }
  }
}

/** Leaves a directory in place at exit (`--keep-temp`). */
export function keepTempDir(dir: string): void {
  live.delete(dir);
  keepOwnedTempDir(dir);
}

export function liveTempDirs(): string[] {
  return [...live];
}
