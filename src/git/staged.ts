import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { makeOwnedTempDir, removeOwnedTempDir } from '../core/temp-root.js';
import { git } from './git.js';

export interface StagedChange {
  /** Repository-relative POSIX path. */
  file: string;
  status: 'added' | 'modified' | 'deleted';
}

export interface StagedSnapshot {
  /** Where the checks read the repository from: the work tree, or an export of the index. */
  root: string;
  changes: StagedChange[];
  /** Removes the export, if one was made. */
  cleanup(): Promise<void>;
}

/**
 * Parses `git diff --cached --name-status -z`; a rename is a deletion plus an addition, so a
 * file that something still references under its old name is caught.
 */
export function parseNameStatus(output: string): StagedChange[] {
  const fields = output.split('\0').filter((f) => f !== '');
  const changes: StagedChange[] = [];
  for (let i = 0; i < fields.length; ) {
    const status = fields[i++]!;
    const code = status[0];
    if (code === 'R' || code === 'C') {
      const from = fields[i++]!;
      const to = fields[i++]!;
      if (code === 'R') changes.push({ file: from, status: 'deleted' });
      changes.push({ file: to, status: 'added' });
    } else {
      const file = fields[i++]!;
      changes.push({ file, status: code === 'D' ? 'deleted' : code === 'A' ? 'added' : 'modified' });
    }
  }
  return changes;
}

/**
 * What is staged, without touching the work tree or the index: when the work tree differs from
 * the index (unstaged edits), the index is exported to a temporary directory outside the
 * repository and checked there.
 */
export async function stagedSnapshot(root: string): Promise<StagedSnapshot> {
  // The three questions at once: each is a git process, and a hook waits for them. diff names
  // paths from the top level wherever it runs (without --relative), and looks at the whole tree.
  const [topLevel, cached, worktree] = await Promise.all([
    git(root, ['rev-parse', '--show-toplevel']),
    git(root, ['diff', '--cached', '--name-status', '-z', '-M', '--no-ext-diff']),
    git(root, ['diff', '--name-only', '-z', '--no-ext-diff']),
  ]);
  const top = await realpath(topLevel.trim());
  // The fluxgate root may be below the git top level (a folder with its own .fluxgate.yaml).
  const prefix = path
    .relative(top, await realpath(root))
    .split(path.sep)
    .join('/');
  const below = (file: string) =>
    prefix === '' ? file : file.startsWith(`${prefix}/`) ? file.slice(prefix.length + 1) : undefined;
  const changes = parseNameStatus(cached)
    .map((c) => ({ ...c, file: below(c.file) }))
    .filter((c): c is StagedChange => c.file !== undefined);
  const unstaged = worktree.length > 0;
  if (!unstaged) return { root, changes, cleanup: async () => {} };
  // A copy of the repository: in the per-user temporary directory, swept if this process is killed.
  const dir = makeOwnedTempDir('staged');
  // checkout-index writes the staged content of every file; the index itself is only read.
  await git(top, ['checkout-index', '--all', '--force', `--prefix=${dir}${path.sep}`]);
  return { root: path.join(dir, prefix), changes, cleanup: async () => removeOwnedTempDir(dir) };
}
