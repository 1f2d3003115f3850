import path from 'node:path';
import { stringify } from 'yaml';
import { ToolError } from '../../core/errors.js';
import { formatResourceId, resourceIdOf } from '../../load/resource.js';
import { kustomizationClosure, parseKustomization } from '../kustomization/closure.js';
import { locateFailure } from '../kustomization/failure-location.js';
import type { FsProbe } from '../kustomization/fs-probe.js';
import { hasPluginConfigs } from '../kustomization/kustomization-file.js';
import type { BuildServer } from '../kustomize/build-server.js';
import { cleanKustomizeStderr, rewritePaths } from '../kustomize/kustomize-error.js';
import { runProcess } from '../kustomize/run-process.js';
import type { KustomizeCommand } from '../kustomize/select-kustomize.js';
import { takeOrigin } from '../origin/origin-annotation.js';
import { resolveOrigin } from '../origin/resolve-origin.js';
import type { SourceReader } from '../source-reader.js';
import type { BuildTarget, RenderedResource, RenderFinding, SourceRoot } from '../types.js';
import type { SourceWorkspace } from '../workspace/workspace.js';
import { type BuildCache, buildKey, sourceRelative } from './build-cache.js';
import { closureFindings, type MapInfo, mapInfoOf } from './closure-findings.js';
import { originSplit, transplantOrigins } from './origin-split.js';
import { parseKustomizeOutput } from './parse-output.js';
import { prepareKustomization } from './prepare-kustomization.js';
import { type Place, TargetPlaces } from './target-places.js';

export interface BuildContext {
  kustomize: KustomizeCommand;
  reader: SourceReader;
  workspace(source: SourceRoot): SourceWorkspace;
  timeoutMs: number;
  remoteBases: boolean;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal | undefined;
  /** Long-lived kustomize processes (the pinned kustomize's API), instead of one process per build. */
  server?: BuildServer | undefined;
  /** Results of earlier runs by content hash (`--no-cache`: none). */
  cache?: BuildCache | undefined;
  debug(message: string): void;
  /** File system answers shared by the builds of a run. */
  fs?: FsProbe;
}

export interface TargetBuild {
  target: BuildTarget;
  status: 'ok' | 'failed' | 'skipped';
  /** The kustomize output with origins, before Flux's post-build steps. */
  resources: RenderedResource[];
  findings: RenderFinding[];
  /** The kustomizations of the build, for mapping findings back to the line that set a value. */
  map: MapInfo;
  /** Repo-relative files and directories the build read (cache keys, changed-files mode). */
  inputs: string[];
  /** Its content hash in the build cache, when cached (later per-cluster steps key on it). */
  cacheKey?: string;
  /**
   * It read files `inputs` does not name: generator, transformer or validator configs name files of
   * their own, or kustomize needed the whole source tree. Any changed file of its source may
   * change what it renders.
   */
  readsUnlisted?: boolean;
}

/** Ctrl-C or the run's deadline: the builds in flight were killed. */
export class BuildAborted extends ToolError {}

function finding(
  place: Place,
  ruleId: string,
  severity: RenderFinding['severity'],
  message: string,
): RenderFinding {
  const source = ruleId.startsWith('kustomize/') ? 'kustomize' : 'render';
  return { ...place, ruleId, severity, message, source, perCluster: true };
}

/**
 * Builds one target with the real kustomize, as kustomize-controller does: Flux fields merged
 * into the target's kustomization, `LoadRestrictionsNone`, confined to the source root, no Helm,
 * no plugins, no exec. Returns the objects (origin annotations read and removed) and findings;
 * never throws for content problems.
 */
export async function buildTarget(target: BuildTarget, ctx: BuildContext): Promise<TargetBuild> {
  const workspace = ctx.workspace(target.source);
  if (workspace.kind(target.path) !== 'dir') {
    // kustomize-controller: "kustomization path not found"; refs/path-not-found reports it.
    ctx.debug(`build ${target.key}: no such directory in the source`);
    return {
      target,
      status: 'failed',
      resources: [],
      findings: [],
      map: { dir: target.path, nodes: [], fromFlux: new Map() },
      inputs: [],
    };
  }
  const prepared = prepareKustomization(target, workspace, ctx.reader);
  const places = new TargetPlaces(ctx.reader.root, target, prepared);
  const result = (status: TargetBuild['status'], rest: Partial<TargetBuild> = {}): TargetBuild => ({
    target,
    status,
    resources: [],
    findings: [],
    map: { dir: '', nodes: [], fromFlux: prepared.fromFlux },
    inputs: [],
    ...rest,
  });
  if (prepared.unreadable)
    return result('failed', {
      findings: [finding(places.kustomization(''), 'kustomize/build-failed', 'error', prepared.unreadable)],
    });
  if (prepared.error)
    return result('failed', {
      findings: [
        finding(
          places.flux(prepared.error.pointer),
          'kustomize/build-failed',
          'error',
          prepared.error.message,
        ),
      ],
    });
  const closure = kustomizationClosure({
    root: target.source.dir,
    targetDir: path.join(target.source.dir, ...target.path.split('/').filter(Boolean)),
    target: { file: prepared.fileName, value: prepared.value },
    read: (file) => {
      const text = ctx.reader.text(places.repoPath(file));
      return text === undefined ? undefined : parseKustomization(text);
    },
    ...(ctx.fs ? { fs: ctx.fs } : {}),
  });
  const map = mapInfoOf(closure, places, target, prepared);
  const inputs = closure.paths.map((p) => places.repoPath(p));
  const found = closureFindings(closure, places, {
    flux: target.flux !== undefined,
    remoteBases: ctx.remoteBases,
  });
  if (found.status !== 'ok') {
    ctx.debug(`build ${target.key}: ${found.status} before kustomize`);
    return result(found.status, { findings: found.findings, map, inputs });
  }
  // kustomize copies every alias (kyaml DeAnchor) and holds every value in memory: a file the
  // load stage refused as a bomb or as too large would cost gigabytes. The load stage reports it.
  const unbuildable = ctx.reader.unbuildableIn(inputs);
  if (unbuildable) {
    ctx.debug(`build ${target.key}: not run, ${unbuildable.file} is unbuildable`);
    const why = `kustomize build not run: ${unbuildable.file} line ${unbuildable.line}: ${unbuildable.message}`;
    return result('failed', {
      findings: [
        ...found.findings,
        finding(places.kustomization(''), 'kustomize/build-failed', 'error', why),
      ],
      map,
      inputs,
    });
  }
  const reads = sourceRelative(places.realSource, closure.paths);
  // Generator, transformer and validator configs name files of their own, which the list of
  // what the build reads does not follow: such builds are not cached (a key without those files
  // could serve a stale result).
  const cacheable = !closure.nodes.some((n) => hasPluginConfigs(n.value));
  let readsUnlisted = !cacheable;
  let key =
    ctx.cache && cacheable ? buildKey(target, prepared.value, reads, workspace, ctx.cache.salt) : undefined;
  const cached = key === undefined ? undefined : ctx.cache?.get(key);
  if (cached) {
    return result(cached.status, {
      resources: cached.resources,
      findings: [...found.findings, ...cached.findings],
      map,
      inputs,
      cacheKey: key!,
    });
  }
  const done = (
    status: 'ok' | 'failed',
    rest: { resources?: RenderedResource[]; findings: RenderFinding[] },
  ) => {
    if (key !== undefined)
      ctx.cache?.set(key, {
        status,
        resources: rest.resources ?? [],
        findings: rest.findings.slice(found.findings.length),
      });
    return result(status, {
      ...rest,
      map,
      inputs,
      ...(key !== undefined ? { cacheKey: key } : {}),
      ...(readsUnlisted ? { readsUnlisted } : {}),
    });
  };
  const kustomize = async (narrow: boolean, value: Record<string, unknown> = prepared.value) => {
    const files = { [prepared.fileName]: stringify(value) };
    const dir = workspace.prepareTarget(target.path, files, narrow ? reads : undefined);
    const args = [...ctx.kustomize.prefix, dir, '--load-restrictor', 'LoadRestrictionsNone'];
    const started = performance.now();
    const limits = { timeoutMs: ctx.timeoutMs, signal: ctx.signal };
    const run = ctx.server
      ? await ctx.server.build(dir, limits)
      : await runProcess(ctx.kustomize.file, args, { cwd: dir, env: ctx.env, ...limits });
    ctx.debug(
      `kustomize ${target.key}: exit ${run.code} in ${(performance.now() - started).toFixed(0)} ms (${dir})`,
    );
    return run;
  };
  // Many images: the content as Flux builds it, the origins from a second build (origin-split.ts).
  const split = originSplit(prepared.value, prepared.keepOrigin);
  let narrow = true;
  let run = await kustomize(narrow, split?.content);
  // A failure with only the paths fluxgate knows the build reads is tried again with the whole
  // source: a kustomize feature that reads another file must not turn into a false finding.
  if (!run.aborted && !run.timedOut && run.code !== 0) {
    narrow = false;
    run = await kustomize(narrow, split?.content);
    // It read something the list does not name: its key would be incomplete.
    if (run.code === 0) {
      key = undefined;
      readsUnlisted = true;
    }
  }
  if (run.aborted) throw new BuildAborted('interrupted');
  const findings = [...found.findings];
  const toSource = (p: string) => places.toSource(workspace.base, p);
  if (run.timedOut || run.code !== 0) {
    const raw = run.timedOut
      ? `kustomize build timed out after ${Math.round(ctx.timeoutMs / 1000)}s`
      : cleanKustomizeStderr(run.stderr) || `kustomize exited with code ${run.code}`;
    const entry = run.timedOut ? undefined : locateFailure(raw, closure, toSource);
    const message = rewritePaths(raw, workspace.base, (p) => places.repoPath(toSource(p)));
    const place = entry ? places.entry(entry.file, entry.pointer) : places.kustomization('');
    const failed = finding(place, 'kustomize/build-failed', 'error', `kustomize build failed: ${message}`);
    findings.push(entry?.key ? { ...failed, atKey: true } : failed);
    // A timeout says nothing about the content: the next run tries again.
    return run.timedOut
      ? result('failed', { findings, map, inputs, ...(readsUnlisted ? { readsUnlisted } : {}) })
      : done('failed', { findings });
  }
  let parsed = parseKustomizeOutput(run.stdout);
  if (split && !parsed.error) {
    const withOrigins = await kustomize(narrow, split.origins);
    if (withOrigins.aborted) throw new BuildAborted('interrupted');
    const origins = withOrigins.code === 0 ? parseKustomizeOutput(withOrigins.stdout) : undefined;
    if (!origins || origins.error || !transplantOrigins(parsed.objects, origins.objects)) {
      ctx.debug(`build ${target.key}: the origins build lists other objects; building once with origins`);
      const whole = await kustomize(narrow);
      if (whole.aborted) throw new BuildAborted('interrupted');
      if (whole.code === 0) parsed = parseKustomizeOutput(whole.stdout);
    }
  }
  if (parsed.error) {
    findings.push(finding(places.kustomization(''), 'kustomize/build-failed', 'error', parsed.error));
    return done('failed', { findings });
  }
  const resources: RenderedResource[] = [];
  let status: 'ok' | 'failed' = 'ok';
  for (const object of parsed.objects) {
    const origin = resolveOrigin(takeOrigin(object, prepared.keepOrigin), object, map.dir, ctx.reader);
    const id = resourceIdOf(object);
    const at: Place = origin?.kind === 'file' ? { ...origin, pointer: '' } : places.kustomization('');
    if (!id) {
      // kustomize-controller build(): "failed to decode Kubernetes apiVersion, kind and name".
      findings.push(
        finding(at, 'kustomize/build-failed', 'error', 'object without apiVersion, kind or metadata.name'),
      );
      status = 'failed';
      continue;
    }
    if (target.flux && object.sops !== undefined && target.flux.spec.decryption === undefined)
      findings.push({
        ...finding(
          { ...at, pointer: origin?.kind === 'file' ? '/sops' : at.pointer },
          'render/sops-without-decryption',
          'error',
          `${formatResourceId(id)} is SOPS-encrypted, but Flux Kustomization ${target.flux.namespace}/${target.flux.name} has no spec.decryption: Flux applies the encrypted text or fails`,
        ),
        resource: id,
      });
    resources.push({ id, value: object, target: target.key, ...(origin ? { origin } : {}) });
  }
  return done(status, { resources, findings });
}
