import path from 'node:path';
import { normalizeGitUrl } from '../../git/remote-urls.js';
import { isRecord } from '../../load/resource.js';
import { parseKustomization } from '../../render/kustomization/closure.js';
import { KUSTOMIZATION_FILE_NAMES } from '../../render/kustomization/kustomization-file.js';
import { isRemoteRef, kustomizationRefs } from '../../render/kustomization/references.js';
import { repoJoin } from '../../render/origin/resolve-origin.js';
import type { SourceReader } from '../../render/source-reader.js';
import type { SourceRoot } from '../../render/types.js';
import { findSource, sourceUrl } from '../cluster-lookup.js';
import { fluxKsInfo, fluxTarget, plainTarget } from '../flux-target.js';
import { isFluxKustomization, type RenderedCluster } from '../types.js';
import type { ClusterPlan } from './plan.js';

export interface AppliedOptions {
  files: readonly string[];
  reader: SourceReader;
  repo: SourceRoot;
  /** The clusters found so far. */
  clusters: readonly RenderedCluster[];
  /** `file#docIndex` of every object those clusters render, and every file their builds read. */
  reachedDocs: ReadonlySet<string>;
  reachedFiles: ReadonlySet<string>;
  /** This repository's remote URLs (normalized); empty when it has none. */
  remoteUrls: readonly string[];
}

/**
 * Roots applied by hand (`kubectl apply -k DIR` of a directory holding a GitRepository of this
 * repository and the Flux Kustomizations that read it): a Flux Kustomization that no cluster
 * applies is one when its source is a GitRepository written in this repository, itself applied by
 * no cluster, whose URL is this repository's (a remote's, or one a cluster already reads; any URL
 * when the repository has no remote). The root is the top kustomization directory that includes
 * it, else the Kustomization itself. Dead Kustomizations of a cluster read that cluster's
 * GitRepository, which is applied, so they never become clusters.
 */
export function appliedRoots(options: AppliedOptions): ClusterPlan[] {
  const { reader, repo } = options;
  const known = new Set(options.remoteUrls);
  for (const c of options.clusters)
    for (const id of c.repoSources) {
      const [kind = '', namespace = '', name = ''] = id.split('/');
      const url = sourceUrl(findSource(c.resources, { kind, namespace, name }));
      const normalized = url && normalizeGitUrl(url);
      if (normalized) known.add(normalized);
    }
  const unreached = (file: string, docIndex: number) =>
    !options.reachedDocs.has(`${file}#${docIndex}`) && !options.reachedFiles.has(file);
  // GitRepositories of the repository that no cluster applies, by kind/namespace/name.
  const gitRepos = new Map<string, { url: string; file: string; docIndex: number }[]>();
  for (const file of options.files)
    for (const doc of reader.get(file)?.resources ?? []) {
      if (doc.id?.kind !== 'GitRepository' || !doc.id.apiVersion.startsWith('source.toolkit.fluxcd.io/'))
        continue;
      if (!unreached(file, doc.docIndex)) continue;
      const url = sourceUrl(doc.value as Record<string, unknown>);
      const normalized = url && normalizeGitUrl(url);
      if (normalized && (known.size === 0 || known.has(normalized))) {
        const id = `GitRepository/${doc.id.namespace ?? 'default'}/${doc.id.name}`;
        gitRepos.set(id, [...(gitRepos.get(id) ?? []), { url: normalized, file, docIndex: doc.docIndex }]);
      }
    }
  if (gitRepos.size === 0) return [];
  const top = topIncluders(options.files, reader);
  const plans = new Map<string, ClusterPlan>();
  for (const file of options.files)
    for (const doc of reader.get(file)?.resources ?? []) {
      if (!doc.id || !isFluxKustomization(doc.id) || !unreached(file, doc.docIndex)) continue;
      const ks = fluxKsInfo({
        id: doc.id,
        value: doc.value as Record<string, unknown>,
        target: '',
        origin: { kind: 'file', file, docIndex: doc.docIndex },
      });
      // Its source: the definition of that name nearest to it (clusters often repeat one name).
      const source = nearest(gitRepos.get(ks.sourceRef.id) ?? [], file);
      if (source === undefined) continue;
      const dir = top(file);
      const key = dir ?? `${file}#${doc.docIndex}`;
      if (plans.has(key)) continue;
      plans.set(key, {
        root: dir ?? path.posix.dirname(file).replace(/^\.$/, ''),
        from: 'applied',
        roots:
          dir !== undefined ? [{ target: plainTarget(repo, dir) }] : [{ target: fluxTarget(repo, ks), ks }],
        evidence: { file, docIndex: doc.docIndex },
        bootstrapDoc: `${file}#${doc.docIndex}`,
        sourceDoc: `${source.file}#${source.docIndex}`,
        sources: {},
        repoUrls: [source.url],
      });
    }
  return [...plans.values()];
}

function nearest<T extends { file: string }>(list: readonly T[], file: string): T | undefined {
  const shared = (a: string, b: string) => {
    const x = a.split('/');
    const y = b.split('/');
    let n = 0;
    while (n < x.length && n < y.length && x[n] === y[n]) n++;
    return n;
  };
  return [...list].sort((a, b) => shared(b.file, file) - shared(a.file, file))[0];
}

/**
 * For a file, the top kustomization directory whose build includes it (through `resources`), or
 * undefined when no kustomization names it.
 */
function topIncluders(files: readonly string[], reader: SourceReader): (file: string) => string | undefined {
  const includedBy = new Map<string, string[]>();
  for (const file of files) {
    if (!(KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(path.posix.basename(file))) continue;
    const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
    const text = reader.text(file);
    const value = text === undefined ? undefined : parseKustomization(text);
    if (!isRecord(value)) continue;
    for (const ref of kustomizationRefs(value)) {
      if (ref.kind !== 'resource' || isRemoteRef(ref.value)) continue;
      const target = repoJoin(dir, ref.value);
      if (target === undefined || target === dir) continue;
      includedBy.set(target, [...(includedBy.get(target) ?? []), dir]);
    }
  }
  return (file) => {
    let current: string | undefined;
    const seen = new Set<string>();
    for (
      let next = includedBy.get(file)?.[0];
      next !== undefined && !seen.has(next);
      next = includedBy.get(next)?.[0]
    ) {
      seen.add(next);
      current = next;
    }
    return current;
  };
}
