import { spawn } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { ToolError, UsageError } from '../core/errors.js';
import { makeOwnedTempDir, removeOwnedTempDir } from '../core/temp-root.js';
import { commitOf, git } from './git.js';

/** The commit a ref names; a UsageError (saying `label`) when it names none. */
export async function resolveCommit(
  root: string,
  ref: string,
  label = `--new-since ${ref}`,
): Promise<string> {
  const commit = await commitOf(root, ref);
  if (!commit) throw new UsageError(`${label}: not a commit in this repository`);
  return commit;
}

/** Writes the tree of a commit to a temporary directory (outside the repository). */
export async function exportRef(
  root: string,
  ref: string,
  /** How the user named the ref, for the message when it is not a commit. */
  label = `--new-since ${ref}`,
  /** Ctrl-C or the deadline: the export stops (its processes killed, its directory removed). */
  signal?: AbortSignal,
): Promise<{ root: string; commit: string; cleanup(): Promise<void> }> {
  const top = await realpath((await git(root, ['rev-parse', '--show-toplevel'])).trim());
  const commit = await resolveCommit(top, ref, label);
  const prefix = path.relative(top, await realpath(root));
  const dir = makeOwnedTempDir('ref');
  const cleanup = async () => removeOwnedTempDir(dir);
  try {
    await new Promise<void>((resolve, reject) => {
      const archive = spawn('git', ['archive', '--format=tar', commit], {
        cwd: top,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // git's output is tar's input directly, not through this thread: the export goes on
      // while the thread checks the other side.
      const tar = spawn('tar', ['-x', '-C', dir], { stdio: [archive.stdout, 'ignore', 'pipe'] });
      const stop = () => {
        archive.kill('SIGKILL');
        tar.kill('SIGKILL');
        reject(new ToolError('interrupted'));
      };
      if (signal?.aborted) stop();
      signal?.addEventListener('abort', stop, { once: true });
      tar.on('close', () => signal?.removeEventListener('abort', stop));
      let stderr = '';
      archive.stderr.on('data', (c) => (stderr += c));
      tar.stderr.on('data', (c) => (stderr += c));
      tar.on('error', reject);
      tar.on('close', (code) =>
        code === 0 ? resolve() : reject(new ToolError(`exporting ${ref} failed: ${stderr.trim()}`)),
      );
    });
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { root: path.join(dir, prefix), commit, cleanup };
}
