import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { TargetBuild } from '../render/build/build-target.js';
import { compareVersions } from '../render/kustomize/select-kustomize.js';
import type { Renderer } from '../render/renderer.js';
import type { SourceReader } from '../render/source-reader.js';
import type { BuildTarget, RenderFinding, SourceRoot } from '../render/types.js';
import { clusterName, findClusterRoots } from './cluster-roots.js';
import { type WalkContext, walkCluster } from './cluster-walk.js';
import { type FluxKsInfo, fluxKsInfo, normalizeSpecPath, plainTarget } from './flux-target.js';
import { standaloneDirs } from './standalone.js';
import { isFluxKustomization, type RenderedCluster } from './types.js';
import { findRootKustomizations } from './unreached-roots.js';

export interface RenderRepoOptions {
  root: string;
  config: Config;
  /** Absolute path of the config file, when there is one (for the unreached-root warning). */
  configFile?: string | undefined;
  renderer: Renderer;
  reader: SourceReader;
  /** Every discovered YAML file (repo-relative). */
  files: readonly string[];
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
export function isStrict(config: Config, cluster: string): boolean {
  const version = config.clusters[cluster]?.fluxVersion;
  if (!version) return true;
  const v = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  return !v || compareVersions(`${v[1]}.${v[2]}.${v[3] ?? 0}`, '2.9.0') >= 0;
}

/**
 * The model stage: each cluster rendered breadth-first from its root (config `clusterRoots`), or,
 * when no root matches, from every Flux Kustomization no other one includes; then every
 * kustomization directory nothing reached, built on its own.
 */
export async function renderRepository(options: RenderRepoOptions): Promise<RepoRender> {
  const { root, config, reader } = options;
  const repo: SourceRoot = { id: 'repo', dir: root, rel: '' };
  const context = (cluster: string): WalkContext => ({
    root,
    repo,
    config,
    renderer: options.renderer,
    reader,
    strict: isStrict(config, cluster),
  });
  const pending: (RenderFinding & { cluster?: string })[] = [];
  const clusters: RenderedCluster[] = [];
  const builds: TargetBuild[] = [];
  const matched = await findClusterRoots(root, config.clusterRoots);
  // With the default clusterRoots, a directory that a Flux Kustomization elsewhere deploys (a hub
  // applying clusters/<spoke>/ to a remote cluster with postBuild variables) is not a cluster root.
  const deployed = clusterRootsConfigured(options.configFile)
    ? []
    : deployedFromElsewhere(matched, options.files, reader);
  if (deployed.length > 0)
    options.debug?.(
      `render: not cluster roots (deployed by Flux Kustomizations elsewhere): ${deployed.join(', ')}`,
    );
  const roots = matched.filter((dir) => !deployed.includes(dir));
  if (roots.length > 0) {
    for (const dir of roots) {
      const name = clusterName(dir);
      const walk = await walkCluster(name, [{ target: plainTarget(repo, dir) }], context(name));
      clusters.push(walk.cluster);
      pending.push(...walk.findings);
      builds.push(...walk.builds);
    }
  } else {
    const found = await findRootKustomizations(
      options.files,
      reader,
      (target) => options.renderer.build(target),
      repo,
    );
    if (found.roots.length > 0)
      pending.push(
        found.warning(
          config.clusterRoots,
          options.configFile && path.relative(root, options.configFile),
          deployed,
        ),
      );
    const byCluster = new Map<string, { target: BuildTarget; ks: FluxKsInfo }[]>();
    for (const { name, resource } of found.roots) {
      const ks = fluxKsInfo(resource);
      byCluster.set(name, [...(byCluster.get(name) ?? []), { target: found.targetOf(ks), ks }]);
    }
    for (const [name, rootsOf] of byCluster) {
      const walk = await walkCluster(name, rootsOf, context(name));
      clusters.push({ ...walk.cluster, root: name });
      pending.push(...walk.findings);
      builds.push(...walk.builds);
    }
  }
  // Every kustomization a cluster build read, and every target directory (even one that failed early).
  const targetDir = (b: TargetBuild) =>
    [b.target.source.rel, b.target.path].filter((p) => p !== '').join('/');
  const reached = new Set(builds.flatMap((b) => [targetDir(b), ...b.map.nodes.map((n) => n.dir)]));
  const standalone: TargetBuild[] = [];
  const dirs = standaloneDirs(options.files, reader, reached);
  options.debug?.(`render: ${clusters.length} clusters, ${dirs.length} standalone kustomizations`);
  for (const build of await Promise.all(dirs.map((dir) => options.renderer.build(plainTarget(repo, dir))))) {
    standalone.push(build);
    builds.push(build);
    pending.push(...build.findings.map(({ perCluster: _, ...f }) => ({ ...f, perCluster: false })));
  }
  const findings = pending.map(({ perCluster: _p, fluxPointer: _f, cluster, ...f }) => {
    const placed = reader.placer.place(f);
    return cluster ? { ...placed, cluster } : placed;
  });
  return { clusters, standalone, builds, findings };
}

/** Whether `.fluxgate.yaml` sets clusterRoots itself (then it is taken as written). */
function clusterRootsConfigured(configFile: string | undefined): boolean {
  if (!configFile) return false;
  try {
    return /^clusterRoots\s*:/m.test(readFileSync(configFile, 'utf8'));
  } catch {
    return false;
  }
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
  const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);
  const deployed = new Set<string>();
  for (const file of files) {
    if (roots.some((r) => under(file, r))) continue;
    for (const doc of reader.get(file)?.resources ?? []) {
      if (!doc.id || !isFluxKustomization(doc.id)) continue;
      const spec = (doc.value as { spec?: { path?: unknown } }).spec;
      const target = normalizeSpecPath(spec?.path);
      for (const r of roots) if (target !== '' && under(target, r)) deployed.add(r);
    }
  }
  return [...deployed].sort();
}
