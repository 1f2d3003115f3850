import os from 'node:os';
import path from 'node:path';
import { fluxgateCacheDir } from '../cache/cache-dir.js';
import type { Config } from '../config/config.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { UsageError } from '../core/errors.js';
import { gitBranches, gitRemoteUrls } from '../git/remote-urls.js';
import type { RepoFiles } from '../git/repo-files.js';
import type { SourceFile } from '../load/resource.js';
import { openBuildCache } from '../render/build/build-cache.js';
import { applyPostBuild } from '../render/flux/post-build.js';
import { HelmRenderer } from '../render/helm/helm-renderer.js';
import { KUSTOMIZATION_FILE_NAMES } from '../render/kustomization/kustomization-file.js';
import { type Env, selectKustomize } from '../render/kustomize/select-kustomize.js';
import { Renderer } from '../render/renderer.js';
import { SourceReader } from '../render/source-reader.js';
import type { BuildTarget, RenderedResource, RenderFinding } from '../render/types.js';
import { findClusterRoots } from './cluster-roots.js';
import { type FluxKsInfo, fluxKsInfo, fluxTarget, plainTarget } from './flux-target.js';
import { isStrict, type RepoRender, renderRepository } from './render-repo.js';
import { rootEvidence } from './roots/evidence.js';
import { isFluxKustomization } from './types.js';

export interface RenderStageOptions {
  root: string;
  cwd: string;
  config: Config;
  configFile?: string | undefined;
  /** Every discovered YAML file (repo-relative), not only those in scope. */
  files: readonly string[];
  loaded: ReadonlyMap<string, SourceFile>;
  buffers?: Readonly<Record<string, string>>;
  env: Env;
  /** `--kustomize-bin`. */
  kustomizeBin?: string | undefined;
  keepTemp?: boolean | undefined;
  signal?: AbortSignal | undefined;
  /** fluxgate's cache directory: builds are reused by content hash. Undefined: no cache. */
  cacheDir?: string | undefined;
  /** What a clone of the repository holds (git); undefined: the tree minus `.gitignore`d files. */
  repoFiles?: RepoFiles | undefined;
  debug?: (message: string) => void;
  /** Nothing the run checks can depend on a build (changed-files mode with no relevant change). */
  skip?: boolean;
  /** Builds done of builds started, for a progress line. */
  progress?: (done: number, total: number) => void;
  /** Render the HelmReleases of each cluster (default true; `fluxgate build --no-helm` says false). */
  helmReleases?: boolean;
  /** `fluxgate charts pull`: download every chart (whatever network.charts says), resolving versions again. */
  pullCharts?: boolean;
  /**
   * The repository `root` is a copy of (an exported commit or index): its remotes, branches and
   * name stand for the copy's, which has none of its own.
   */
  origin?: string | undefined;
}

export interface RenderStage extends RepoRender {
  /** Null when nothing needed kustomize (no kustomization, no cluster root, no Flux Kustomization). */
  kustomizeVersion: string | null;
  /** Said in the normal output: a kustomize other than the one fluxgate ships (see selectKustomize). */
  kustomizeNotice?: { severity: 'warning' | 'info'; message: string };
  reader: SourceReader;
}

/** Whether the repository has anything to render; a plain folder of manifests needs no kustomize. */
async function needsRender(options: RenderStageOptions, reader: SourceReader): Promise<boolean> {
  if (
    options.files.some((f) =>
      (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(path.posix.basename(f)),
    )
  )
    return true;
  if ((await findClusterRoots(options.root, options.config.clusterRoots)).length > 0) return true;
  if (options.files.some((f) => reader.get(f)?.resources.some((r) => r.id && isFluxKustomization(r.id))))
    return true;
  // A FluxInstance (or the flux-instance chart's values) declares a cluster, rendered or not.
  return rootEvidence(options.files, reader).length > 0;
}

const DEFAULT_TIMEOUT_SECONDS = 120;

async function makeRenderer(options: RenderStageOptions, reader: SourceReader): Promise<Renderer> {
  const { config } = options;
  const kustomize = await selectKustomize({
    env: options.env,
    cwd: options.cwd,
    root: options.root,
    flag: options.kustomizeBin,
    configBin: config.kustomize.bin,
    cacheDir: options.cacheDir,
  });
  options.debug?.(
    `kustomize ${kustomize.version} (${kustomize.from}): ${kustomize.file} ${kustomize.prefix.join(' ')}${kustomize.server ? `, builds in ${kustomize.server}` : ''}`,
  );
  const remoteBases = config.network.remoteBases === true;
  return new Renderer({
    reader,
    kustomize,
    ...(options.cacheDir ? { cache: openBuildCache(options.cacheDir, kustomize, { remoteBases }) } : {}),
    concurrency: config.kustomize.concurrency ?? Math.max(1, os.availableParallelism()),
    timeoutMs: (config.kustomize.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    remoteBases,
    env: options.env,
    signal: options.signal,
    keepTemp: options.keepTemp === true,
    repoFiles: options.repoFiles,
    ...(options.debug ? { debug: options.debug } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
  });
}

/**
 * Render, as one stage: choose kustomize (ToolError, exit 2, when there is none), render every
 * cluster and standalone kustomization, and always remove the temporary build directories.
 */
export async function runRenderStage(options: RenderStageOptions): Promise<RenderStage> {
  const reader = new SourceReader(options.root, options.loaded, options.buffers);
  if (options.skip || !(await needsRender(options, reader)))
    return { clusters: [], standalone: [], builds: [], findings: [], kustomizeVersion: null, reader };
  const renderer = await makeRenderer(options, reader);
  const helm = options.helmReleases === false ? undefined : makeHelmRenderer(options);
  try {
    const rendered = await renderRepository({
      root: options.root,
      config: options.config,
      configFile: options.configFile,
      renderer,
      reader,
      files: options.files,
      repoFiles: options.repoFiles,
      remoteUrls: await gitRemoteUrls(options.origin ?? options.root),
      branches: await gitBranches(options.origin ?? options.root),
      ...(options.origin ? { origin: options.origin } : {}),
      ...(helm ? { helm: { helm, digests: new Map<string, string>() } } : {}),
      ...(options.debug ? { debug: options.debug } : {}),
    });
    const notice = renderer.kustomizeNotice;
    return {
      ...rendered,
      kustomizeVersion: renderer.kustomizeVersion,
      reader,
      ...(notice ? { kustomizeNotice: notice } : {}),
    };
  } finally {
    renderer.dispose();
    helm?.dispose();
  }
}

/**
 * HelmReleases are rendered by tools/helm-server, results kept in the cache; charts come from the
 * chart cache (`<cache>/charts`, read even with --no-cache: it holds inputs, not results), and from
 * the network only with `network.charts`.
 */
function makeHelmRenderer(options: RenderStageOptions): HelmRenderer {
  const home = options.cacheDir ?? fluxgateCacheDir(options.env);
  return new HelmRenderer({
    env: options.env,
    cacheDir: options.cacheDir,
    chartCacheDir: home ? path.join(home, 'charts') : undefined,
    network: options.config.network.charts === true || options.pullCharts === true,
    refresh: options.pullCharts === true,
    concurrency: options.config.kustomize.concurrency ?? Math.max(1, os.availableParallelism()),
    timeoutMs: (options.config.kustomize.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    signal: options.signal,
    ...(options.debug ? { debug: options.debug } : {}),
  });
}

/**
 * One target on its own (`fluxgate build PATH`): a directory built as a plain overlay, or the
 * Flux Kustomizations of a file built with their fields and post-build steps. Outside a cluster,
 * `substituteFrom` sources are unknown.
 */
export async function renderOne(
  options: RenderStageOptions,
  pick: { dir: string } | { file: string },
): Promise<{
  resources: RenderedResource[];
  findings: Diagnostic[];
  failed: boolean;
  kustomizeVersion: string;
  reader: SourceReader;
  kustomizeNotice?: { severity: 'warning' | 'info'; message: string };
}> {
  const reader = new SourceReader(options.root, options.loaded, options.buffers);
  const renderer = await makeRenderer(options, reader);
  const repo = { id: 'repo', dir: options.root, rel: '' };
  try {
    const pending: RenderFinding[] = [];
    const resources: RenderedResource[] = [];
    let failed = false;
    const targets =
      'dir' in pick
        ? [{ target: plainTarget(repo, pick.dir) }]
        : (reader.get(pick.file)?.resources ?? [])
            .filter((r) => r.id && isFluxKustomization(r.id))
            .map((r) => {
              const ks = fluxKsInfo({
                id: r.id!,
                value: r.value as Record<string, unknown>,
                target: '',
                origin: { kind: 'file', file: pick.file, docIndex: r.docIndex },
              });
              return { target: fluxTarget(repo, ks), ks };
            });
    if (targets.length === 0 && 'file' in pick)
      throw new UsageError(`${pick.file}: no Flux Kustomization (kustomize.toolkit.fluxcd.io) in it`);
    for (const { target, ks } of targets as { target: BuildTarget; ks?: FluxKsInfo }[]) {
      const build = await renderer.build(target);
      failed ||= build.status !== 'ok';
      pending.push(...build.findings);
      if (!ks || !target.flux) {
        resources.push(...build.resources);
        continue;
      }
      const post = applyPostBuild(build.resources, {
        flux: target.flux,
        strict: isStrict(undefined),
        lookup: () => ({ status: 'unknown', reason: 'outside a cluster (fluxgate build PATH)' }),
        reader,
        map: build.map,
      });
      resources.push(...post.resources);
      pending.push(...post.findings);
    }
    const findings = pending.map(({ perCluster: _p, fluxPointer: _f, ...f }) => reader.placer.place(f));
    failed ||= findings.some((f) => f.severity === 'error');
    const notice = renderer.kustomizeNotice;
    return {
      resources,
      findings,
      failed,
      kustomizeVersion: renderer.kustomizeVersion,
      reader,
      ...(notice ? { kustomizeNotice: notice } : {}),
    };
  } finally {
    renderer.dispose();
  }
}
