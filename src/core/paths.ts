import path from 'node:path';

/** Repository-relative POSIX path of an absolute path. */
export function toRepoPath(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}

/** Absolute path of a repository-relative POSIX path. */
export function fromRepoPath(root: string, repoPath: string): string {
  return path.join(root, ...repoPath.split('/'));
}

/** True when `child` is `parent` or lies below it (both absolute, already resolved). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
