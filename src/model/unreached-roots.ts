import path from 'node:path';
import type { TargetBuild } from '../render/build/build-target.js';
import type { SourceReader } from '../render/source-reader.js';
import type { BuildTarget, RenderedResource, RenderFinding, SourceRoot } from '../render/types.js';
import { type FluxKsInfo, fluxKsInfo, fluxTarget } from './flux-target.js';
import { isFluxKustomization } from './types.js';

export interface RootKustomizations {
  /** Flux Kustomizations no other one includes, each the root of one cluster named after its directory. */
  roots: { name: string; resource: RenderedResource }[];
  targetOf(ks: FluxKsInfo): BuildTarget;
  warning(globs: readonly string[], configFile: string | undefined): RenderFinding;
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
  const names = new Map<string, number>();
  const roots = candidates
    .filter((c) => !included.has(where(c)))
    .map((resource) => {
      const dir = path.posix.dirname(resource.origin?.kind === 'file' ? resource.origin.file : '.');
      const count = (names.get(dir) ?? 0) + 1;
      names.set(dir, count);
      return { name: count === 1 ? dir : `${dir}#${count}`, resource };
    });
  return {
    roots,
    targetOf,
    warning(globs, configFile) {
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
          `clusterRoots (${globs.join(', ')}) matches no directory, so each of the ${roots.length} Flux Kustomizations ` +
          `no other one includes is treated as a cluster root (${roots.map((r) => r.name).join(', ')}); ` +
          'set clusterRoots in .fluxgate.yaml',
      };
    },
  };
}
