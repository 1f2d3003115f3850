import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * Creates a throw-away repository from a map of repo-relative paths to contents
 * (a `.git` directory marks the root unless `gitMarker: false`). Removed after each test.
 */
export function tempRepo(files: Record<string, string>, options: { gitMarker?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-test-'));
  created.push(dir);
  if (options.gitMarker !== false) mkdirSync(path.join(dir, '.git'));
  for (const [file, text] of Object.entries(files)) {
    const target = path.join(dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return dir;
}
