import path from 'node:path';

/** Directories matching config `clusterRoots` (globs relative to the root, default `clusters/*`), sorted. */
export async function findClusterRoots(root: string, globs: readonly string[]): Promise<string[]> {
  // Loaded on demand: a run that renders nothing (--only schema on manifests) never needs it.
  const { globby } = await import('globby');
  const dirs = await globby([...globs], {
    cwd: root,
    onlyDirectories: true,
    expandDirectories: false,
    dot: false,
    gitignore: true,
    followSymbolicLinks: false,
  });
  return [...new Set(dirs.map((d) => d.replace(/\/+$/, '')))].sort();
}

/** A cluster's name is its root directory's base name (ARCHITECTURE.md, Config). */
export function clusterName(dir: string): string {
  return path.posix.basename(dir);
}
