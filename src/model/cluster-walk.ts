import path from 'node:path';
import type { Config } from '../config/config.js';
import { normalizeGitUrl } from '../git/remote-urls.js';
import type { TargetBuild } from '../render/build/build-target.js';
import { applyPostBuild } from '../render/flux/post-build.js';
import { isDirectory } from '../render/kustomization/kustomization-file.js';
import type { Renderer } from '../render/renderer.js';
import type { SourceReader } from '../render/source-reader.js';
import type {
  BuildTarget,
  FluxTarget,
  RenderedResource,
  RenderFinding,
  SourceRoot,
} from '../render/types.js';
import { artifactDirectory, generatedArtifact, generatesArtifact } from './artifact-generator.js';
import { clusterLookup, findSource, sourceIgnore, sourceUrl } from './cluster-lookup.js';
import { type FluxKsInfo, fluxKsInfo, fluxTarget, mappedSource, normalizeSpecPath } from './flux-target.js';
import { type ClusterResource, isFluxKustomization, type RenderedCluster } from './types.js';

export interface WalkContext {
  root: string;
  repo: SourceRoot;
  config: Config;
  /** Flux sources read from directories (config `sources`, and CI pushes of this repository). */
  sources: Readonly<Record<string, string>>;
  /** What a CI push leaves out of a mapped source (gitignore lines), by source. */
  sourceIgnores?: Readonly<Record<string, string>>;
  /** This repository's URLs (normalized, see git/remote-urls.ts): a source with one of them is this repository. */
  repoUrls: ReadonlySet<string>;
  /**
   * The revisions (`branch:main`) that are this repository's tree when the cluster's own sync
   * source is not written in it: the sync's ref, else the default and current branches.
   */
  repoRefs?: ReadonlySet<string>;
  renderer: Renderer;
  reader: SourceReader;
  /** Strict post-build substitution for this cluster (Flux >= 2.9). */
  strict: boolean;
}

interface Entry {
  target: BuildTarget;
  build?: TargetBuild;
  ks?: FluxKsInfo;
  resources: RenderedResource[];
  superseded?: boolean;
}

export interface ClusterWalk {
  cluster: RenderedCluster;
  /** Findings of this cluster's builds and post-build steps (cluster set on per-cluster ones). */
  findings: (RenderFinding & { cluster?: string })[];
  builds: TargetBuild[];
}

const ksKey = (ks: { namespace: string; name: string }) => `${ks.namespace}/${ks.name}`;

/** Flux's own install manifests (the flux-manifests artifact, or the fluxcd/flux2 repository). */
const FLUX_INSTALL = /(^|\/)ghcr\.io\/fluxcd\/flux-manifests\/?$|github\.com[/:]fluxcd\/flux2(\.git)?\/?$/;

/**
 * Renders one cluster as kustomize-controller would reconcile it: the root targets, then the
 * `spec.path` of every Flux Kustomization found in their output, breadth-first. Sources: a Flux
 * Kustomization found at the root reconciles this repository; a deeper one too when it uses the
 * same source (or one with the same URL); config `sources` maps others to local directories; the
 * rest are external and not rendered.
 */
export async function walkCluster(
  name: string,
  roots: { target: BuildTarget; ks?: FluxKsInfo }[],
  ctx: WalkContext,
): Promise<ClusterWalk> {
  const entries: Entry[] = [];
  const findings: ClusterWalk['findings'] = [];
  const incomplete: RenderedCluster['incomplete'] = [];
  const seenKs = new Set<string>();
  const rootSources = new Set<string>();
  const rootUrls = new Set<string>();
  /** The revisions the root sources follow (`branch:main`): a source of the same URL on another is another tree. */
  const rootRefs = new Set<string>();
  const objects = function* () {
    for (const e of entries) if (!e.superseded) yield* e.resources;
  };
  const postBuild = (entry: Entry) => {
    if (!entry.build || !entry.ks) return { resources: entry.build?.resources ?? [], findings: [] };
    const flux: FluxTarget = {
      namespace: entry.ks.namespace,
      name: entry.ks.name,
      spec: entry.ks.spec,
      ...(entry.ks.location ? { location: entry.ks.location } : {}),
    };
    const map = {
      ...entry.build.map,
      fluxSpec: entry.ks.spec,
      ...(entry.ks.location ? { flux: entry.ks.location } : {}),
    };
    return applyPostBuild(entry.build.resources, {
      flux,
      strict: ctx.strict,
      lookup: clusterLookup(objects, entry.ks.namespace),
      reader: ctx.reader,
      map,
      memo: ctx.renderer.postBuildMemo(entry.build),
    });
  };

  let level: Entry[] = roots.map((r) => ({ ...r, resources: [] }));
  let pending: { ks: FluxKsInfo; from: Entry }[] = [];
  for (const r of roots)
    if (r.ks) {
      seenKs.add(ksKey(r.ks));
      rootSources.add(r.ks.sourceRef.id);
    }
  let depth = 0;
  while (level.length > 0) {
    entries.push(...level);
    const builds = await Promise.all(level.map((e) => ctx.renderer.build(e.target)));
    level.forEach((e, i) => {
      e.build = builds[i]!;
      e.resources = postBuild(e).resources;
    });
    for (const e of level)
      for (const r of e.resources)
        if (isFluxKustomization(r.id)) pending.push({ ks: fluxKsInfo(r), from: e });
    if (depth === 0) {
      for (const id of repoSources(
        roots,
        pending.map((p) => p.ks),
        objects,
      ))
        rootSources.add(id);
      for (const id of rootSources) {
        const source = findSource(objects(), parseId(id));
        const url = sourceUrl(source);
        if (url) rootUrls.add(normalizeGitUrl(url) ?? url);
        const ref = gitRef(source);
        if (ref) rootRefs.add(ref);
      }
    }
    const next: Entry[] = [];
    const waiting: typeof pending = [];
    for (const item of pending) {
      const { ks } = item;
      if (seenKs.has(ksKey(ks))) continue;
      const resolved = resolveSource(ks, { ctx, objects, rootSources, rootUrls, rootRefs });
      if (resolved === 'not-found') {
        waiting.push(item);
        continue;
      }
      seenKs.add(ksKey(ks));
      if (typeof resolved === 'string') {
        findings.push({
          ...(ks.location ?? { file: item.from.target.path, docIndex: 0 }),
          pointer: '/spec/sourceRef',
          ruleId: 'render/external-source',
          severity: 'info',
          source: 'render',
          perCluster: true,
          cluster: name,
          message: `Kustomization ${ksKey(ks)} reconciles ${ks.sourceRef.id} (${resolved}), which fluxgate does not render; map it to a local directory with sources in .fluxgate.yaml`,
        });
        incomplete.push({
          namespace: ks.namespace,
          name: ks.name,
          reason: `external source ${ks.sourceRef.id}`,
          kind: 'external',
          ...(FLUX_INSTALL.test(resolved) ? { installsFlux: true } : {}),
        });
        continue;
      }
      const target =
        'path' in resolved ? fluxTarget(resolved.source, ks, resolved.path) : fluxTarget(resolved, ks);
      const root = entries.find(
        (e) => !e.ks && e.target.source.id === target.source.id && e.target.path === target.path,
      );
      if (root) root.superseded = true; // the root is this Kustomization's own path (flux bootstrap)
      // Another Kustomization with the same path and fields is its own entry (the build is shared).
      next.push({ target, ks, resources: [] });
    }
    pending = waiting;
    level = next;
    depth++;
  }

  for (const { ks } of pending)
    if (!seenKs.has(ksKey(ks))) {
      // The same Kustomization may wait from several places: reported once.
      seenKs.add(ksKey(ks));
      incomplete.push({
        namespace: ks.namespace,
        name: ks.name,
        reason: `source ${ks.sourceRef.id} not found`,
        kind: 'source-not-found',
      });
    }
  // Final post-build with the whole cluster known (substituteFrom may name objects found later).
  const resources: ClusterResource[] = [];
  const builds: TargetBuild[] = [];
  for (const e of entries) {
    if (!e.build) continue;
    builds.push(e.build);
    const final = postBuild(e);
    e.resources = final.resources;
    // A root superseded by its own bootstrap Kustomization is reported through that one.
    if (!e.superseded)
      for (const f of [...e.build.findings, ...final.findings]) findings.push(onCluster(f, e, name));
    if (e.build.status !== 'ok' && e.ks)
      incomplete.push({
        namespace: e.ks.namespace,
        name: e.ks.name,
        reason: `build ${e.build.status}`,
        kind: e.build.status === 'skipped' ? 'skipped' : 'failed',
      });
  }
  for (const e of entries) {
    if (e.superseded) continue;
    const appliedBy = e.ks ? { namespace: e.ks.namespace, name: e.ks.name } : undefined;
    for (const r of e.resources) resources.push(appliedBy ? { ...r, appliedBy } : r);
  }
  return {
    cluster: {
      name,
      root: roots[0]?.target.path ?? '',
      resources,
      targets: entries.map((e) => e.target.key),
      incomplete,
      repoSources: [...rootSources].sort(),
      kustomizations: entries.flatMap((e) =>
        e.ks ? [{ namespace: e.ks.namespace, name: e.ks.name, spec: e.ks.spec }] : [],
      ),
      // A root directory built as it is (its sync Kustomization is not in the repository: made by
      // flux bootstrap or an operator): it stands for that sync, rendered or not.
      rootSyncs: entries
        .filter((e) => !e.ks && !e.superseded && e.build)
        .map((e) => (e.build!.status === 'ok' ? 'rendered' : e.build!.status)),
    },
    findings,
    builds,
  };
}

/** A build finding in this cluster: per-cluster ones get the cluster, Flux-placed ones this cluster's Kustomization. */
function onCluster(f: RenderFinding, e: Entry, cluster: string): RenderFinding & { cluster?: string } {
  const placed =
    f.fluxPointer !== undefined && e.ks?.location ? { ...f, ...e.ks.location, pointer: f.fluxPointer } : f;
  return f.perCluster ? { ...placed, cluster } : placed;
}

/**
 * The sources that stand for this repository: the one of the Kustomization whose `spec.path` is the
 * cluster root itself (what `flux bootstrap` writes); without one, the sources of the root's
 * Kustomizations that are not defined in the repository (created by a FluxInstance, ResourceSet or
 * the AKS extension). A misspelled source defined nowhere is then never mistaken for the repository
 * when a bootstrap Kustomization exists.
 */
function repoSources(
  roots: readonly { target: BuildTarget; ks?: FluxKsInfo }[],
  found: readonly FluxKsInfo[],
  objects: () => Iterable<RenderedResource>,
): string[] {
  const plain = roots.filter((r) => !r.ks).map((r) => r.target.path);
  if (plain.length === 0) return [];
  const self = found.filter((ks) => plain.includes(normalizeSpecPath(ks.spec.path)));
  if (self.length > 0) return self.map((ks) => ks.sourceRef.id);
  // An ExternalArtifact is never this repository: an ArtifactGenerator or a controller makes it.
  return found
    .filter((ks) => ks.sourceRef.kind !== 'ExternalArtifact' && !findSource(objects(), ks.sourceRef))
    .map((ks) => ks.sourceRef.id);
}

function parseId(id: string): { kind: string; namespace: string; name: string } {
  const [kind = '', namespace = '', name = ''] = id.split('/');
  return { kind, namespace, name };
}

/** The source a Flux Kustomization builds from: a SourceRoot, 'not-found', or why it is external. */
/**
 * An ExternalArtifact made by an ArtifactGenerator from sources fluxgate renders (this repository,
 * or a directory config `sources` maps): the source directory the Kustomization's path is copied
 * from, as a source of its own (the copy's `exclude` patterns are its ignore lines), so findings
 * stay at the lines of the repository's files. Otherwise the reason it stays external.
 */
function artifactSource(
  ks: FluxKsInfo,
  state: Parameters<typeof resolveSource>[1],
): { source: SourceRoot; path: string } | string {
  const ref = ks.sourceRef;
  const artifact = generatedArtifact(state.objects(), ref.namespace, ref.name);
  if (!artifact) return 'ExternalArtifact generated by an ArtifactGenerator';
  const roots = new Map<string, SourceRoot>();
  for (const s of artifact.sources) {
    // An artifact made from another generated artifact is not followed (it could be a cycle).
    if (s.kind === 'ExternalArtifact') continue;
    const resolved = resolveSource({ ...ks, sourceRef: s }, state);
    if (typeof resolved === 'object' && !('path' in resolved)) roots.set(s.alias, resolved);
    // A GitRepository the repository does not define was created outside Git (flux bootstrap, a
    // FluxInstance): this repository, as for a root Kustomization's source.
    else if (resolved === 'not-found' && s.kind === 'GitRepository') roots.set(s.alias, state.ctx.repo);
  }
  const where = artifactDirectory(artifact, String(ks.spec.path ?? ''), (alias, dir) => {
    const root = roots.get(alias);
    return root ? isDirectory(path.join(root.dir, ...dir.split('/').filter(Boolean))) : undefined;
  });
  if (typeof where === 'string')
    return `ExternalArtifact generated by ArtifactGenerator ${artifact.generator}: ${where}`;
  const root = roots.get(where.alias);
  if (!root)
    return `ExternalArtifact generated by ArtifactGenerator ${artifact.generator} from a source fluxgate does not render`;
  const rel = [root.rel, where.sourceDir].filter((p) => p !== '').join('/');
  const ignore = [...(root.ignore ? [root.ignore] : []), ...where.ignore].join('\n');
  return {
    source: {
      id: ref.id,
      dir: path.join(root.dir, ...where.sourceDir.split('/').filter(Boolean)),
      rel,
      ...(ignore ? { ignore } : {}),
    },
    path: where.path,
  };
}

function resolveSource(
  ks: FluxKsInfo,
  state: {
    ctx: WalkContext;
    objects: () => Iterable<RenderedResource>;
    rootSources: Set<string>;
    rootUrls: Set<string>;
    rootRefs?: Set<string>;
  },
): SourceRoot | { source: SourceRoot; path: string } | 'not-found' | string {
  const { ctx } = state;
  const ref = ks.sourceRef;
  const object = findSource(state.objects(), ref);
  const mapped = ctx.sources[ref.id];
  if (mapped !== undefined) {
    const ignore = [ctx.sourceIgnores?.[ref.id], sourceIgnore(object)].filter(
      (x) => x !== undefined && x !== '',
    );
    return mappedSource(ctx.root, ref.id, mapped, ignore.length > 0 ? ignore.join('\n') : undefined);
  }
  const ignore = sourceIgnore(object);
  const repo = ignore ? { ...ctx.repo, ignore } : ctx.repo;
  if (state.rootSources.has(ref.id)) return repo;
  if (!object) {
    // Generated in the cluster by an ArtifactGenerator's `copy` rules: rendered from the source
    // directory the Kustomization's path is copied from, when the rules say which one.
    if (ref.kind !== 'ExternalArtifact' || !generatesArtifact(state.objects(), ref.namespace, ref.name))
      return 'not-found';
    return artifactSource(ks, state);
  }
  const url = sourceUrl(object);
  const key = url && (normalizeGitUrl(url) ?? url);
  if (key && (state.rootUrls.has(key) || ctx.repoUrls.has(key))) {
    // The same repository at another branch or tag holds other files (a tenant's branch).
    const ref = gitRef(object);
    const ours = state.rootRefs && state.rootRefs.size > 0 ? state.rootRefs : ctx.repoRefs;
    if (ref && ours && ours.size > 0 && !ours.has(ref))
      return `${url}, ${ref.replace(':', ' ')}: another revision of this repository`;
    return repo;
  }
  return url ?? ref.kind;
}

/** A GitRepository's `spec.ref` as `branch:main`, `tag:v1`, ...; undefined when it names none. */
function gitRef(source: Record<string, unknown> | undefined): string | undefined {
  const spec = source?.spec as { ref?: Record<string, unknown> } | undefined;
  const ref = spec?.ref;
  if (!ref || typeof ref !== 'object') return undefined;
  for (const key of ['commit', 'name', 'semver', 'tag', 'branch'])
    if (typeof ref[key] === 'string' && ref[key] !== '') return `${key}:${ref[key]}`;
  return undefined;
}
