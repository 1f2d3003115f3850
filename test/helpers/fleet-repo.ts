import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { git } from './git-repo.js';
import { tempRepo } from './temp-repo.js';

/** Every file of a directory, repo-relative path → text. */
export function filesOf(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, filesOf(path.join(dir, entry.name), rel));
    else out[rel] = readFileSync(path.join(dir, entry.name), 'utf8');
  }
  return out;
}

/**
 * A git repository holding a copy of `dir` (an example fleet) and the `extra` files, committed on
 * main; removed after the test.
 */
export function fleetRepo(dir: string, extra: Record<string, string> = {}): string {
  const root = tempRepo({ ...filesOf(dir), ...extra }, { gitMarker: false });
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'fleet');
  return root;
}
