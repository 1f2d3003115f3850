import { statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/config.js';
import { normalizeGitUrl } from '../../git/remote-urls.js';
import type { SourceReader } from '../../render/source-reader.js';
import type { BuildTarget, DocLocation, RenderFinding, SourceRoot } from '../../render/types.js';
import { findClusterRoots } from '../cluster-roots.js';
import { type FluxKsInfo, fluxTarget, mappedSource, normalizeSpecPath, plainTarget } from '../flux-target.js';
import { type FluxVersion, parseFluxVersion } from '../flux-version.js';
import { isFluxKustomization, type RootFrom } from '../types.js';
import { bootstrapLayoutRoots, type InstanceRoot, rootEvidence } from './evidence.js';
import { artifactKey, type PushedArtifact } from './pushed-artifacts.js';
import { applySyncPatches } from './sync-patches.js';

/** One cluster to render: its root, how fluxgate knows it is one, and how to build it. */
export interface ClusterPlan {
  /** The root directory (repo-relative). */
  root: string;
  from: RootFrom;
  /** What to build first; empty when the root's source cannot be rendered (see `unrendered`). */
  roots: { target: BuildTarget; ks?: FluxKsInfo }[];
  /** Where the repository says this is a root. */
  evidence?: DocLocation;
  /** `file#docIndex` of a bootstrap Kustomization: not a root when another cluster applies it. */
  bootstrapDoc?: string;
  /** `file#docIndex` of the GitRepository a hand-applied root reads: not a root when a cluster applies that. */
  sourceDoc?: string;
  /** Sources this cluster's walk maps to directories of the repository (CI pushes). */
  sources: Record<string, string>;
  /** What those pushes leave out (gitignore lines), by source. */
  sourceIgnores?: Record<string, string>;
  /** More URLs that stand for this repository in this cluster. */
  repoUrls: string[];
  /** The revision the cluster's sync follows (`branch:main`), when the repository says. */
  syncRef?: string;
  fluxVersion?: FluxVersion;
  /** Why nothing of the cluster can be rendered. */
  unrendered?: { namespace: string; name: string; reason: string; kind: 'external' };
}

type Pending = RenderFinding & { cluster?: string };

export interface PlanOptions {
  root: string;
  config: Config;
  /** `.fluxgate.yaml` sets `clusterRoots`: taken as written. */
  configured: boolean;
  files: readonly string[];
  reader: SourceReader;
  repo: SourceRoot;
  pushes: readonly PushedArtifact[];
  remoteUrls: readonly string[];
  debug?: (message: string) => void;
}

function isDir(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

const within = (p: string, dir: string) => dir === '' || p === dir || p.startsWith(`${dir}/`);

/**
 * The clusters the repository declares: config `clusterRoots` when set; otherwise the roots that
 * Flux uses (bootstrap syncs, FluxInstance syncs) and the `clusters/*` directories of the default
 * layout that no Flux Kustomization elsewhere deploys.
 */
export async function planClusters(
  options: PlanOptions,
): Promise<{ clusters: ClusterPlan[]; findings: Pending[] }> {
  const { root, config, repo } = options;
  const plain = (dir: string, from: RootFrom): ClusterPlan => ({
    root: dir,
    from,
    roots: [{ target: plainTarget(repo, dir) }],
    sources: {},
    repoUrls: [],
  });
  if (options.configured) {
    const dirs = await findClusterRoots(root, config.clusterRoots);
    return { clusters: dirs.map((dir) => plain(dir, 'config')), findings: [] };
  }
  const findings: Pending[] = [];
  const plans: ClusterPlan[] = [];
  const evidence = rootEvidence(options.files, options.reader);
  for (const e of evidence) {
    if (e.kind !== 'bootstrap') continue;
    if (plans.some((p) => p.root === e.path) || !isDir(path.join(root, e.path))) continue;
    plans.push({
      ...plain(e.path, 'bootstrap'),
      evidence: e.location,
      bootstrapDoc: `${e.location.file}#${e.location.docIndex}`,
    });
  }
  for (const layout of bootstrapLayoutRoots(options.files)) {
    if (plans.some((p) => p.root === layout.path) || !isDir(path.join(root, layout.path))) continue;
    plans.push({ ...plain(layout.path, 'bootstrap'), evidence: { file: layout.file, docIndex: 0 } });
  }
  for (const e of evidence) {
    if (e.kind !== 'flux-instance') continue;
    const version = e.version ? parseFluxVersion(e.version) : undefined;
    const fluxVersion = version ? { version, from: e.location.file } : undefined;
    const same = plans.find(
      (p) => p.root === e.path || (p.from === 'flux-instance' && p.evidence?.file === e.location.file),
    );
    if (same) {
      if (!same.fluxVersion && fluxVersion) same.fluxVersion = fluxVersion;
      continue;
    }
    const plan = instancePlan(e, options, findings);
    if (plan) plans.push(fluxVersion ? { ...plan, fluxVersion } : plan);
  }
  // The default layout: clusters/<name>, unless a root above already covers it, or a Flux
  // Kustomization elsewhere deploys it (a hub applying clusters/<spoke>/ to remote clusters).
  const defaults = (await findClusterRoots(root, ['clusters/*'])).filter(
    (dir) => !plans.some((p) => within(dir, p.root) || within(p.root, dir)),
  );
  const deployed = deployedFromElsewhere(defaults, options.files, options.reader);
  if (deployed.length > 0)
    options.debug?.(
      `render: not cluster roots (deployed by Flux Kustomizations elsewhere): ${deployed.join(', ')}`,
    );
  for (const dir of defaults) if (!deployed.includes(dir)) plans.push(plain(dir, 'default'));
  for (const p of plans)
    options.debug?.(
      `render: cluster root ${p.root || '.'} (${p.from}${p.evidence ? `, ${p.evidence.file}` : ''})`,
    );
  return { clusters: plans, findings };
}

/**
 * A FluxInstance's sync as a root: the Kustomization the operator creates (`flux-system`, path
 * `spec.sync.path`) reading the source it creates. A GitRepository sync reads this repository; an
 * OCIRepository (or Bucket) is this repository only when the config maps it (`sources:`) or CI
 * pushes a directory of it there. Otherwise the cluster cannot be rendered, and a warning says
 * how to map it.
 */
function instancePlan(e: InstanceRoot, options: PlanOptions, findings: Pending[]): ClusterPlan | undefined {
  const { root, config, repo } = options;
  const id = `${e.sourceKind}/${e.namespace}/${e.name}`;
  // The Kustomization the operator creates, with the instance's patches that target it.
  const object = applySyncPatches(
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: e.name, namespace: e.namespace },
      spec: {
        interval: '10m',
        path: `./${e.path}`,
        prune: true,
        sourceRef: { kind: e.sourceKind, name: e.name },
      },
    },
    e.patches ?? [],
  );
  const ks: FluxKsInfo = {
    namespace: e.namespace,
    name: e.name,
    spec: (object.spec ?? {}) as Record<string, unknown>,
    location: e.location,
    sourceRef: { kind: e.sourceKind, namespace: e.namespace, name: e.name, id },
  };
  const branch = e.ref?.startsWith('refs/heads/') ? e.ref.slice('refs/heads/'.length) : undefined;
  const base = {
    from: 'flux-instance' as const,
    evidence: e.location,
    repoUrls: [] as string[],
    ...(branch ? { syncRef: `branch:${branch}` } : {}),
  };
  const mapped = config.sources[id];
  if (mapped !== undefined) {
    const source = mappedSource(root, id, mapped);
    return {
      ...base,
      root: [source.rel, e.path].filter((p) => p !== '').join('/'),
      roots: [{ target: fluxTarget(source, ks), ks }],
      sources: {},
    };
  }
  if (e.sourceKind === 'GitRepository') {
    if (!isDir(path.join(root, e.path))) {
      options.debug?.(
        `render: FluxInstance sync path ${e.path} (${e.location.file}) is not a directory here`,
      );
      return undefined;
    }
    const url = e.url ? normalizeGitUrl(e.url) : undefined;
    if (url && options.remoteUrls.length > 0 && !options.remoteUrls.includes(url))
      // A renamed or forked repository keeps its FluxInstance: the path is here, so it is rendered,
      // and the difference is said once.
      findings.push(
        atSync(
          e,
          '/url',
          'render/source-mapped',
          'info',
          `this cluster syncs ${e.url}, which is not a remote of this repository (${options.remoteUrls.join(', ')}); it is rendered from this repository, where ${e.path} exists (a renamed or forked repository). If it is another repository, map ${id} with sources in .fluxgate.yaml`,
        ),
      );
    return { ...base, root: e.path, roots: [{ target: fluxTarget(repo, ks), ks }], sources: {} };
  }
  const push = matchingPush(e, options.pushes, root);
  if (push) {
    const source = mappedSource(root, id, push.path === '' ? '.' : push.path, push.ignore.join('\n'));
    findings.push(
      atSync(
        e,
        '/url',
        'render/source-mapped',
        'info',
        `${id}${e.url ? ` (${e.url}${e.ref ? `, ref ${e.ref}` : ''})` : ''} is taken as ${push.path === '' ? 'the root' : push.path} of this repository: ${push.file}:${push.line} pushes it. The cluster runs what was pushed${e.ref ? ` as ${e.ref}` : ''}; fluxgate checks the files as they are here. Set sources in .fluxgate.yaml to change this`,
      ),
    );
    return {
      ...base,
      root: [source.rel, e.path].filter((p) => p !== '').join('/'),
      roots: [{ target: fluxTarget(source, ks), ks }],
      sources: { [id]: push.path === '' ? '.' : push.path },
      sourceIgnores: { [id]: push.ignore.join('\n') },
    };
  }
  const suggestion =
    options.pushes.length > 0
      ? ` CI pushes ${[...new Set(options.pushes.map((p) => p.path || '.'))].join(', ')}: if the cluster runs one of them, map it in .fluxgate.yaml, e.g. sources: {${id}: ${options.pushes[0]!.path || '.'}}`
      : ` If CI pushes it from this repository (flux push artifact --path=DIR), map it in .fluxgate.yaml: sources: {${id}: DIR}`;
  findings.push(
    atSync(
      e,
      '/kind',
      'render/cluster-not-rendered',
      'warning',
      `this cluster syncs ${id}${e.url ? ` (${e.url})` : ''}, which is not this repository as it stands: nothing of the cluster is rendered or checked.${suggestion}`,
    ),
  );
  return {
    ...base,
    root: e.path,
    roots: [],
    sources: {},
    unrendered: {
      namespace: e.namespace,
      name: e.name,
      reason: `source ${id} is external`,
      kind: 'external',
    },
  };
}

/** A render finding at a field of a FluxInstance's sync. */
function atSync(
  e: InstanceRoot,
  field: string,
  ruleId: string,
  severity: Pending['severity'],
  message: string,
): Pending {
  const { file, docIndex } = e.location;
  return {
    file,
    docIndex,
    pointer: `${e.pointer}${field}`,
    ruleId,
    severity,
    source: 'render',
    perCluster: false,
    message,
  };
}

/**
 * The CI push that makes a sync's artifact: one whose URL is the sync's (tag aside), else the only
 * directory CI pushes; either way the sync path must be a directory inside it.
 */
function matchingPush(
  e: InstanceRoot,
  pushes: readonly PushedArtifact[],
  root: string,
): PushedArtifact | undefined {
  const holds = (p: PushedArtifact) => isDir(path.join(root, p.path, e.path));
  const key = e.url ? artifactKey(e.url) : undefined;
  const exact = pushes.find((p) => key !== undefined && p.url === key && holds(p));
  if (exact) return exact;
  const dirs = [...new Set(pushes.map((p) => p.path))];
  return dirs.length === 1 ? pushes.find(holds) : undefined;
}

/**
 * Root directories that a Flux Kustomization written outside every root deploys (its `spec.path`
 * is the directory or below it): they are what another cluster applies, not a cluster's root. A
 * bootstrap root is never one: its own Kustomization (flux-system/gotk-sync.yaml) lives inside it.
 */
function deployedFromElsewhere(
  roots: readonly string[],
  files: readonly string[],
  reader: SourceReader,
): string[] {
  const deployed = new Set<string>();
  for (const file of files) {
    if (roots.some((r) => within(file, r))) continue;
    for (const doc of reader.get(file)?.resources ?? []) {
      if (!doc.id || !isFluxKustomization(doc.id)) continue;
      const spec = (doc.value as { spec?: { path?: unknown } }).spec;
      const target = normalizeSpecPath(spec?.path);
      for (const r of roots) if (target !== '' && within(target, r)) deployed.add(r);
    }
  }
  return [...deployed].sort();
}
