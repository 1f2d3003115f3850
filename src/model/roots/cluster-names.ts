import path from 'node:path';

/**
 * Directory names that say where Flux lives, not which cluster it is: `kubernetes/flux/cluster`
 * is not a cluster named "cluster", `kubernetes/main/cluster/config` is the cluster "main".
 */
const GENERIC = new Set([
  'flux',
  'flux-system',
  'fluxcd',
  'cluster',
  'clusters',
  'config',
  'kubernetes',
  'k8s',
  'kube',
  'gitops',
  'bootstrap',
  'sync',
  'fleet',
  'deploy',
  'manifests',
]);

/**
 * Names for cluster roots (repo-relative directories), unique among them: the last directory
 * name that is not generic (else the base name), lengthened to a distinguishing path suffix when
 * two would be equal. `keepBaseName` roots (config `clusterRoots`, `clusters/*`) are named by
 * their base name, as documented.
 */
export function clusterNames(
  roots: readonly { dir: string; keepBaseName?: boolean }[],
  /** The name of a root whose path is all generic (`kubernetes/flux/cluster`): the repository's. */
  fallback?: string,
): string[] {
  const short = roots.map(({ dir, keepBaseName }) => {
    const parts = dir.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.length === 0) return fallback ?? 'root';
    if (keepBaseName) return parts.at(-1)!;
    const named = [...parts].reverse().find((p) => !GENERIC.has(p.toLowerCase()));
    return named ?? fallback ?? parts.at(-1)!;
  });
  return short.map((name, i) => {
    if (short.filter((n) => n === name).length === 1) return name;
    // Equal short names: the shortest suffix of the path that tells them apart.
    const parts = roots[i]!.dir.split('/').filter((p) => p !== '');
    for (let n = 2; n <= parts.length; n++) {
      const candidate = parts.slice(-n).join('/');
      const others = roots.filter((r, j) => j !== i && r.dir.split('/').slice(-n).join('/') === candidate);
      if (others.length === 0) return candidate;
    }
    return roots[i]!.dir || path.posix.basename(roots[i]!.dir) || 'root';
  });
}
