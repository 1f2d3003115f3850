import path from 'node:path';
import type { TargetBuild } from '../render/build/build-target.js';
import type { SourceReader } from '../render/source-reader.js';
import type { BuildTarget, RenderedResource, RenderFinding, SourceRoot } from '../render/types.js';
import { type FluxKsInfo, fluxKsInfo, fluxTarget } from './flux-target.js';
import { isFluxKustomization } from './types.js';

export interface RootKustomizations {
  /** Flux Kustomizations no other one includes; those of one directory are the roots of one cluster named after it. */
  roots: { name: string; resource: RenderedResource }[];
  targetOf(ks: FluxKsInfo): BuildTarget;
  warning(
    globs: readonly string[],
    configFile: string | undefined,
    deployed?: readonly string[],
  ): RenderFinding;
}

/**
 * When `clusterRoots` matches no directory: every Flux Kustomization in the repository that no
 * other one's build includes is a root (issue 3, "The Flux graph"). Each candidate's target is
 * rendered (the renderer keeps the builds for the cluster walks).
 */
export async function findRootKustomizations(
  files: readonly string[],
  reader: SourceReader,
  build: (target: BuildTarget) => Promise<TargetBuild>,
  repo: SourceRoot,
): Promise<RootKustomizations> {
  const candidates: RenderedResource[] = [];
  for (const file of files)
    for (const doc of reader.get(file)?.resources ?? [])
      if (doc.id && isFluxKustomization(doc.id))
        candidates.push({
          id: doc.id,
          value: doc.value as Record<string, unknown>,
          origin: { kind: 'file', file, docIndex: doc.docIndex },
          target: '',
        });
  const targetOf = (ks: FluxKsInfo) => fluxTarget(repo, ks);
  const where = (r: RenderedResource) =>
    r.origin?.kind === 'file' ? `${r.origin.file}#${r.origin.docIndex}` : '';
  const builds = await Promise.all(candidates.map((c) => build(targetOf(fluxKsInfo(c)))));
  const included = new Set<string>();
  builds.forEach((b, i) => {
    for (const r of b.resources)
      if (isFluxKustomization(r.id) && where(r) !== where(candidates[i]!)) included.add(where(r));
  });
  // Roots written in one directory are one cluster (a hub's Kustomizations, created by a
  // bootstrap that is not in Git), named after the directory.
  const roots = candidates
    .filter((c) => !included.has(where(c)))
    .map((resource) => ({
      name: path.posix.dirname(resource.origin?.kind === 'file' ? resource.origin.file : '.'),
      resource,
    }));
  return {
    roots,
    targetOf,
    warning(globs, configFile, deployed = []) {
      const first = roots[0]?.resource.origin;
      const place =
        configFile !== undefined
          ? { file: configFile.split(path.sep).join('/'), docIndex: 0, pointer: '/clusterRoots' }
          : first?.kind === 'file'
            ? { file: first.file, docIndex: first.docIndex, pointer: '' }
            : { file: '.', docIndex: 0, pointer: '' };
      return {
        ...place,
        ruleId: 'render/unreached-root',
        severity: 'warning',
        source: 'render',
        perCluster: false,
        message:
          (deployed.length > 0
            ? `the directories clusterRoots (${globs.join(', ')}) matches are deployed by Flux Kustomizations elsewhere (${deployed.join(', ')}), so each of the ${roots.length} Flux Kustomizations `
            : `clusterRoots (${globs.join(', ')}) matches no directory, so each of the ${roots.length} Flux Kustomizations `) +
          `no other one includes is treated as a cluster root (clusters: ${[...new Set(roots.map((r) => r.name))].join(', ')}); ` +
          'set clusterRoots in .fluxgate.yaml',
      };
    },
  };
}
