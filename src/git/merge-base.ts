import { UsageError } from '../core/errors.js';
import { commitOf, git } from './git.js';

/** Where the default branch is, in the order a clone most likely has it. */
const DEFAULT_BRANCHES = ['origin/HEAD', 'main', 'master', 'origin/main', 'origin/master'];

/** Fails with a usage error, not git's, when `root` is not in a git repository. */
export async function requireRepository(root: string): Promise<void> {
  try {
    await git(root, ['rev-parse', '--show-toplevel']);
  } catch (error) {
    throw new UsageError(`diff: ${root} is not in a git repository (diff compares commits)`, {
      cause: error,
    });
  }
}

/**
 * The commit a branch's change is reviewed against: the merge base of HEAD with the default
 * branch (origin/HEAD, else main, else master), as a pull request shows it.
 */
export async function defaultBase(root: string): Promise<{ label: string; commit: string }> {
  if (!(await commitOf(root, 'HEAD')))
    throw new UsageError('diff: the repository has no commit yet: nothing to compare with');
  for (const branch of DEFAULT_BRANCHES) {
    if (!(await commitOf(root, branch))) continue;
    const commit = (await git(root, ['merge-base', 'HEAD', branch])).trim();
    if (commit) return { label: `merge base with ${branch}`, commit };
  }
  throw new UsageError(
    'diff: no default branch (origin/HEAD, main or master) to find the merge base with: name BASE (e.g. fluxgate diff HEAD~1)',
  );
}
