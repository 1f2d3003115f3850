import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Diagnostic, Severity } from '../core/diagnostic.js';
import { severityAtLeast } from '../core/diagnostic.js';
import { readRegularFile } from '../core/read-regular.js';
import type { RepoFiles } from '../git/repo-files.js';
import type { TargetBuild } from '../render/build/build-target.js';
import type { HelmRenderer } from '../render/helm/helm-renderer.js';
import { compareVersions } from '../render/kustomize/select-kustomize.js';
import type { Renderer } from '../render/renderer.js';
import type { SourceReader } from '../render/source-reader.js';
import type { RenderFinding, SourceRoot } from '../render/types.js';
import { type WalkContext, walkCluster } from './cluster-walk.js';
import { plainTarget } from './flux-target.js';
import { fluxVersionOf } from './flux-version.js';
import { addHelmReleases } from './helm/render-helm-releases.js';
import { appliedRoots } from './roots/applied.js';
import { clusterNames } from './roots/cluster-names.js';
import { type ClusterPlan, planClusters } from './roots/plan.js';
import { ciFiles, pushedArtifacts } from './roots/pushed-artifacts.js';
import { standaloneDirs } from './standalone.js';
import type { RenderedCluster } from './types.js';

export interface RenderRepoOptions {
  root: string;
  config: Config;
  /** Absolute path of the config file, when there is one (for the unreached-root warning). */
  configFile?: string | undefined;
  renderer: Renderer;
  reader: SourceReader;
  /** Every discovered YAML file (repo-relative). */
  files: readonly string[];
  /** What a clone holds (git), for CI files that push the repository as an artifact. */
  repoFiles?: RepoFiles | undefined;
  /** This repository's own Git URLs (its remotes, normalized). */
  remoteUrls?: readonly string[];
  /** Its main-line branches: the default and the current one (and main/master). */
  branches?: readonly string[];
  /**
   * The repository's directory, when `root` is a copy of it (an exported commit or index): a root
   * whose path names no cluster is named after the repository, not after the copy.
   */
  origin?: string | undefined;
  /** Renders HelmReleases (absent: they are not rendered). */
  helm?: { helm: HelmRenderer; digests: Map<string, string> } | undefined;
  debug?: (message: string) => void;
}

export interface RepoRender {
  clusters: RenderedCluster[];
  /** Kustomization directories built on their own (no Flux object reaches them). */
  standalone: TargetBuild[];
  /** Every build, reached or standalone. */
  builds: TargetBuild[];
  findings: Diagnostic[];
}

/** Flux 2.9 made strict substitution the default (StrictPostBuildSubstitutions); older clusters substitute leniently. */
export function isStrict(fluxVersion: string | undefined): boolean {
  if (!fluxVersion) return true;
  const v = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(fluxVersion);
  return !v || compareVersions(`${v[1]}.${v[2]}.${v[3] ?? 0}`, '2.9.0') >= 0;
}

type Pending = RenderFinding & { cluster?: string };

/** Caps a finding on something no cluster applies (config `unreachedSeverity`). */
function capped(severity: Severity, limit: Severity): Severity {
  return severityAtLeast(severity, limit) ? limit : severity;
}

/**
 * The model stage: each cluster rendered breadth-first from the root Flux itself uses (config
 * `clusterRoots`; else `flux bootstrap`'s sync, a FluxInstance's sync, `clusters/*`, and
 * Kustomizations applied by hand that read this repository), then every kustomization directory
 * no cluster reached, built on its own. No cluster is made up from directory names: without a
 * root, the files are checked as written and one warning says so.
 */
export async function renderRepository(options: RenderRepoOptions): Promise<RepoRender> {
  const { root, config, reader } = options;
  const repo: SourceRoot = { id: 'repo', dir: root, rel: '' };
  const configured = clusterRootsConfigured(options.configFile);
  const pushes = pushedArtifacts(ciFiles(root, options.repoFiles), (file) => readText(root, file));
  const plans = await planClusters({
    root,
    config,
    configured,
    files: options.files,
    reader,
    repo,
    pushes,
    remoteUrls: options.remoteUrls ?? [],
    ...(options.debug ? { debug: options.debug } : {}),
  });
  const pending: Pending[] = [...plans.findings];
  const clusters: RenderedCluster[] = [];
  const builds: TargetBuild[] = [];
  const reachedDocs = new Set<string>();
  const reachedFiles = new Set<string>();
  const remember = (cluster: RenderedCluster, walked: TargetBuild[]) => {
    for (const r of cluster.resources)
      if (r.origin?.kind === 'file') reachedDocs.add(`${r.origin.file}#${r.origin.docIndex}`);
    for (const b of walked) for (const input of b.inputs) reachedFiles.add(input);
  };

  // Names are final once every cluster is known (they must be unique, and a root that another
  // cluster applies is dropped): clusters are walked under their root path, then renamed. The
  // config is looked up under the name the planned roots suggest, or the root path.
  // A root whose path names no cluster (kubernetes/flux/cluster) is named after the repository.
  const repoName = (options.remoteUrls?.[0] ?? options.origin ?? root)
    .split('/')
    .filter((p) => p !== '')
    .at(-1);
  const nameOf = (list: readonly ClusterPlan[]) =>
    clusterNames(
      list.map((p) => ({ dir: p.root, keepBaseName: p.from === 'config' || p.from === 'default' })),
      repoName,
    );
  const settingsOf = (plan: ClusterPlan, guess: string) =>
    config.clusters[guess] ?? config.clusters[plan.root];
  const walk = async (plan: ClusterPlan, guess: string) => {
    const configured = settingsOf(plan, guess)?.fluxVersion;
    const known = configured ? { version: configured, from: '.fluxgate.yaml' } : plan.fluxVersion;
    const context = (version: string | undefined): WalkContext => ({
      root,
      repo,
      config,
      sources: { ...config.sources, ...plan.sources },
      ...(plan.sourceIgnores ? { sourceIgnores: plan.sourceIgnores } : {}),
      repoUrls: new Set([...(options.remoteUrls ?? []), ...plan.repoUrls]),
      repoRefs: new Set(plan.syncRef ? [plan.syncRef] : (options.branches ?? []).map((b) => `branch:${b}`)),
      renderer: options.renderer,
      reader,
      strict: isStrict(version),
    });
    const id = plan.root || '.';
    let result = await walkCluster(id, plan.roots, context(known?.version));
    // The release the cluster's own manifests install decides how it substitutes (strict since
    // Flux 2.9): walked again (builds are reused) when it says otherwise.
    const found =
      known ??
      fluxVersionOf(
        result.cluster.resources,
        result.builds.flatMap((b) => b.map.nodes),
      );
    if (found && isStrict(found.version) !== isStrict(known?.version))
      result = await walkCluster(id, plan.roots, context(found.version));
    const cluster: RenderedCluster = {
      ...result.cluster,
      root: plan.root,
      from: plan.from,
      ...(plan.evidence ? { evidence: plan.evidence } : {}),
      ...(found ? { fluxVersion: found } : {}),
      sources: context(undefined).sources as Record<string, string>,
    };
    // The HelmReleases the cluster applies, rendered once its Kustomizations are (model/helm/).
    const charts = options.helm
      ? await addHelmReleases(cluster, {
          ...options.helm,
          root,
          reader,
          builds: result.builds,
          repoUrls: context(undefined).repoUrls,
          kubernetesVersion: settingsOf(plan, guess)?.kubernetesVersion,
        })
      : [];
    return { cluster, findings: [...result.findings, ...charts], builds: result.builds };
  };

  // Shallow roots first: a bootstrap Kustomization another cluster already applies is part of
  // that cluster, not a root.
  const byDepth = (list: readonly ClusterPlan[]) =>
    [...list].sort((a, b) => depth(a.root) - depth(b.root) || (a.root < b.root ? -1 : 1));
  const walked: ClusterPlan[] = [];
  const walkAll = async (list: readonly ClusterPlan[]) => {
    const guesses = nameOf(list);
    for (const [i, plan] of list.entries()) {
      if (
        (plan.bootstrapDoc && reachedDocs.has(plan.bootstrapDoc)) ||
        (plan.sourceDoc && reachedDocs.has(plan.sourceDoc))
      ) {
        options.debug?.(`render: ${plan.root} is applied by another cluster, not a root of its own`);
        continue;
      }
      walked.push(plan);
      if (plan.roots.length === 0) {
        clusters.push(notRendered(plan, plan.root || '.'));
        continue;
      }
      const { cluster, findings, builds: done } = await walk(plan, guesses[i]!);
      clusters.push(cluster);
      pending.push(...findings);
      builds.push(...done);
      remember(cluster, done);
    }
  };
  await walkAll(byDepth(plans.clusters));
  // Kustomizations that read this repository and that no cluster applies: applied by hand
  // (kubectl apply -k) as a cluster's root.
  await walkAll(
    byDepth(
      appliedRoots({
        files: options.files,
        reader,
        repo,
        clusters,
        reachedDocs,
        reachedFiles,
        remoteUrls: options.remoteUrls ?? [],
      }),
    ),
  );
  const finalNames = new Map(walked.map((p, i) => [p.root || '.', nameOf(walked)[i]!]));
  for (const c of clusters) {
    c.name = finalNames.get(c.name) ?? c.name;
    options.debug?.(
      `render: cluster ${c.name}: root ${c.root || '.'} (${c.from ?? 'config'}${c.evidence ? `, ${c.evidence.file}` : ''}), ` +
        (c.fluxVersion
          ? `Flux ${c.fluxVersion.version} (${c.fluxVersion.from})`
          : 'Flux newest (the repository does not say)'),
    );
  }
  for (const f of pending) if (f.cluster !== undefined) f.cluster = finalNames.get(f.cluster) ?? f.cluster;
  if (clusters.length === 0) {
    const warning = noClusterWarning(options, reader);
    if (warning) pending.push(warning);
  }
  clusters.sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));

  // Every kustomization a cluster build read, and every target directory (even one that failed early).
  const targetDir = (b: TargetBuild) =>
    [b.target.source.rel, b.target.path].filter((p) => p !== '').join('/');
  const reached = new Set(builds.flatMap((b) => [targetDir(b), ...b.map.nodes.map((n) => n.dir)]));
  const standalone: TargetBuild[] = [];
  const dirs = standaloneDirs(options.files, reader, reached);
  options.debug?.(`render: ${clusters.length} clusters, ${dirs.length} standalone kustomizations`);
  const rendered = clusters.some((c) => c.targets.length > 0);
  for (const build of await Promise.all(dirs.map((dir) => options.renderer.build(plainTarget(repo, dir))))) {
    standalone.push(build);
    builds.push(build);
    // What no cluster applies is capped (config unreachedSeverity), build failures included.
    for (const { perCluster: _, ...f } of build.findings)
      pending.push({
        ...f,
        perCluster: false,
        ...(rendered ? { severity: capped(f.severity, config.unreachedSeverity) } : {}),
      });
  }
  const findings = pending.map(({ perCluster: _p, fluxPointer: _f, cluster, ...f }) => {
    const placed = reader.placer.place(f);
    return cluster ? { ...placed, cluster } : placed;
  });
  return { clusters, standalone, builds, findings };
}

function depth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}

function readText(root: string, file: string): string | undefined {
  try {
    return readRegularFile(path.join(root, ...file.split('/'))).toString('utf8');
  } catch {
    return undefined;
  }
}

/** A cluster whose root cannot be rendered (its source is not this repository): nothing of it. */
function notRendered(plan: ClusterPlan, name: string): RenderedCluster {
  return {
    name,
    root: plan.root,
    from: plan.from,
    ...(plan.evidence ? { evidence: plan.evidence } : {}),
    resources: [],
    targets: [],
    incomplete: plan.unrendered ? [plan.unrendered] : [],
    repoSources: [],
    kustomizations: [],
  };
}

/** Whether `.fluxgate.yaml` sets clusterRoots itself (then it is taken as written). */
function clusterRootsConfigured(configFile: string | undefined): boolean {
  if (!configFile) return false;
  try {
    return /^clusterRoots\s*:/m.test(readRegularFile(configFile).toString('utf8'));
  } catch {
    return false;
  }
}

/**
 * No cluster root anywhere, although the repository holds Flux Kustomizations: said once, at the
 * first of them. Nothing is rendered as a cluster; kustomization directories are built alone and
 * the other files are checked as written.
 */
function noClusterWarning(options: RenderRepoOptions, reader: SourceReader): Pending | undefined {
  const first = options.files
    .flatMap((file) => (reader.get(file)?.resources ?? []).map((r) => ({ file, r })))
    .find(
      ({ r }) => r.id?.kind === 'Kustomization' && r.id.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'),
    );
  if (!first) return undefined;
  const configFile =
    options.configFile && path.relative(options.root, options.configFile).split(path.sep).join('/');
  return {
    ...(configFile
      ? { file: configFile, docIndex: 0, pointer: '/clusterRoots' }
      : { file: first.file, docIndex: first.r.docIndex, pointer: '' }),
    ruleId: 'render/unreached-root',
    severity: 'warning',
    source: 'render',
    perCluster: false,
    message:
      'no cluster root found (no flux bootstrap sync, FluxInstance, clusters/<name> directory or clusterRoots match), ' +
      'so no Flux Kustomization is rendered as Flux applies it; the files are checked as written. ' +
      "Set clusterRoots in .fluxgate.yaml to the directories your clusters' sync points at",
  };
}
