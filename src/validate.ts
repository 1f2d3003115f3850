import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { secureCacheDir } from './cache/cache-dir.js';
import { pruneCache } from './cache/store.js';
import { type Config, DEFAULT_RUN_TIMEOUT_SECONDS } from './config/config.js';
import { findRoot } from './config/find-root.js';
import { isObject, readConfig, throwProblems } from './config/load-config.js';
import type { CheckFocus } from './core/check-focus.js';
import { deadlineMessage } from './core/deadline.js';
import { type Diagnostic, dedupeDiagnostics, type Severity } from './core/diagnostic.js';
import { ToolError, UsageError } from './core/errors.js';
import { isInside, toRepoPath } from './core/paths.js';
import { SecretSet } from './core/secret-set.js';
import { discoverFiles, inScope } from './discover/discover.js';
import type { DryRunOptions } from './dry-run/dry-run.js';
import { type RepoFilesMode, repoFiles } from './git/repo-files.js';
import { loadFile } from './load/load-file.js';
import { Placer } from './load/placer.js';
import { readSource } from './load/read-text.js';
import type { SourceFile } from './load/resource.js';
import { builtInputs } from './model/built-inputs.js';
import { coverageOf } from './model/coverage.js';
import { helmFocus, inHelmChart } from './model/helm/helm-focus.js';
import { type RenderStage, runRenderStage } from './model/render-stage.js';
import type { RenderedCluster } from './model/types.js';

import { type CachedChecks, checkKey, openCheckCache } from './pipeline/check-cache.js';
import type { CheckStageInput } from './pipeline/check-stage.js';
import { unknownClusters } from './pipeline/config-clusters.js';
import { applyRuleSettings } from './pipeline/rule-settings.js';
import { addRenderSecrets, addRepoSecrets, secretInputs } from './pipeline/run-secrets.js';
import { userPolicyDirs } from './policy/user-policy-dirs.js';
import { unlistedFiles } from './render/build/unlisted-files.js';
import { hasPluginConfigs } from './render/kustomization/kustomization-file.js';
import type { Summary } from './report/summary.js';
import { findRule } from './rules/registry.js';
import { helpUri } from './rules/rule-meta.js';
import type { SchemaRunOptions } from './schema/run-schema-check.js';
import { applySuppressions } from './suppress/suppressions.js';

export interface ValidateOptions {
  /** Directory the paths are relative to (the CLI's working directory). */
  cwd: string;
  /** Directories narrow the scope; files name changed files (see `changed`). Empty: the whole repository. */
  paths?: readonly string[];
  /**
   * Changed files (repo-relative, deletions included), from FILE arguments or `--staged`: only
   * the build targets that include them are checked. Undefined: no changed-files mode.
   */
  changed?: readonly ChangedFile[];
  /**
   * Unsaved editor buffers: repo-relative path → text, read instead of the file on disk (which
   * may not exist yet). Every stage that reads repository files must honour it.
   */
  buffers?: Readonly<Record<string, string>>;
  /** Repository root; default: the nearest ancestor holding `.fluxgate.yaml` or `.git`. */
  root?: string;
  /** Explicit config file, instead of `<root>/.fluxgate.yaml`. */
  configPath?: string;
  /** Receives `--debug` lines (stage timings, commands, cache hits). */
  debug?: (message: string) => void;
  /** Receives the stage and, for long stages, done/total (the CLI's progress line on a terminal). */
  progress?: (stage: string, done?: number, total?: number) => void;
  /** Schema check flags (`--schema-location`, `--offline`, `--require-schemas`, versions). */
  schema?: SchemaRunOptions;
  /** `--policy DIR` (repeatable): user policy directories, relative to `cwd`, after `policies:` of the config. */
  policies?: readonly string[];
  /**
   * fluxgate's cache directory (`fluxgateCacheDir()`): builds and check results are reused by a
   * content hash of every input. Undefined: nothing is cached.
   */
  cacheDir?: string;
  /**
   * The stages to run (default: all). Without `render`, manifests are checked as written (a
   * directory of pre-rendered manifests); the other stages need nothing from each other.
   */
  stages?: readonly Stage[];
  /**
   * `--server-dry-run`: each cluster with a kubeconfig context is dry-run against its API server
   * (stage `dry-run`). Undefined: no dry run.
   */
  serverDryRun?: DryRunOptions;
  /** Deadline of the whole run in seconds (`--timeout`); default: config `timeoutSeconds`, else 900. */
  timeoutSeconds?: number;
  /**
   * Told the run's deadline (seconds from now) once it is known: the CLI's watchdog stops a run
   * that a CPU-bound stage keeps past it (the deadline inside the run only acts between steps).
   */
  onDeadline?: (seconds: number) => void;
  /** The cache's size limit in bytes (default 1 GiB); least recently used entries go first. */
  cacheMaxBytes?: number;
  /**
   * Receives every secret value the run learns (Secrets, generator inputs, kubeconfig
   * credentials), for the caller to scrub what it prints; a new set when not given.
   */
  secrets?: SecretSet;
  /** Render stage: the environment to find kustomize in (PATH, tools cache), `--kustomize-bin`, `--keep-temp`, Ctrl-C. */
  render?: {
    env?: Readonly<Record<string, string | undefined>>;
    kustomizeBin?: string;
    keepTemp?: boolean;
    signal?: AbortSignal;
  };
  /**
   * What the repository holds, as Flux's clone would (see git/repo-files.ts): `worktree` (default:
   * tracked files and new ones git would add), `index` (`--staged`, read in the work tree) or
   * `export` (`--staged`, an exported index).
   */
  snapshot?: RepoFilesMode;
  /**
   * The repository `root` was exported from (a commit of `--new-since` or `fluxgate diff`, an
   * exported index of `--staged`): its Git remotes, branches and name stand for the export's, so
   * clusters are named and sync URLs matched as in the repository itself.
   */
  origin?: string;
}

/** The stages `--only` / `--skip` choose from (yaml and config checks always run). */
export const STAGES = ['render', 'schema', 'policy', 'refs', 'dry-run'] as const;
export type Stage = (typeof STAGES)[number];

export interface ChangedFile {
  file: string;
  status: 'added' | 'modified' | 'deleted';
}

export interface ValidateResult {
  root: string;
  config: Config;
  diagnostics: Diagnostic[];
  summary: Summary;
  /** Loaded files (repo-relative path → text and documents), for code frames and redaction. */
  files: Map<string, SourceFile>;
  /** Every cluster as Flux renders it (empty when nothing needed rendering). */
  clusters: RenderedCluster[];
  /** The whole render (standalone builds, mapping back to source lines), for later stages and `build`. */
  render: RenderStage;
  /** Every secret value the run learned: nothing printed may contain one (see prepareReport). */
  secrets: SecretSet;
}

function resolveRoot(options: ValidateOptions): string {
  if (options.root) {
    const root = path.resolve(options.cwd, options.root);
    if (!existsSync(root) || !statSync(root).isDirectory())
      throw new UsageError(`--root ${options.root}: not a directory`);
    return root;
  }
  const first = options.paths?.[0];
  const start = first ? path.resolve(options.cwd, first) : options.cwd;
  return (
    findRoot(start) ?? (first && existsSync(start) && statSync(start).isDirectory() ? start : options.cwd)
  );
}

/** Splits PATH arguments into directory scopes and changed files, repo-relative. */
function resolvePaths(options: ValidateOptions, root: string): { scopes: string[]; changed?: ChangedFile[] } {
  const scopes: string[] = [];
  const files: ChangedFile[] = [];
  for (const p of options.paths ?? []) {
    const absolute = path.resolve(options.cwd, p);
    const buffered = options.buffers && Object.hasOwn(options.buffers, toRepoPath(root, absolute));
    if (!existsSync(absolute) && !buffered) throw new UsageError(`${p}: no such file or directory`);
    if (!isInside(root, absolute)) throw new UsageError(`${p}: outside the repository root ${root}`);
    const relative = toRepoPath(root, absolute);
    if (!buffered && statSync(absolute).isDirectory()) scopes.push(relative);
    else files.push({ file: relative, status: 'modified' });
  }
  const changed = options.changed ? [...options.changed, ...files] : files.length > 0 ? files : undefined;
  return changed ? { scopes, changed } : { scopes };
}

function timer(debug: (m: string) => void) {
  let last = performance.now();
  return (stage: string, detail = '') => {
    const now = performance.now();
    debug(`stage ${stage}: ${(now - last).toFixed(0)} ms${detail ? ` (${detail})` : ''}`);
    last = now;
  };
}

/**
 * Changed-files mode: the files whose findings count, and the builds to check. A changed file
 * affects every build that read it (or whose Flux Kustomization it holds); a deletion may break any
 * build that fails now. Undefined: no changed-files mode, everything counts.
 */
function changedFocus(
  render: RenderStage,
  changed: readonly ChangedFile[] | undefined,
): CheckFocus | undefined {
  if (!changed) return undefined;
  const files = new Set(changed.map((c) => c.file));
  const deleted = changed.some((c) => c.status === 'deleted');
  const relevant = new Set(files);
  const targets = new Set<string>();
  for (const build of render.builds) {
    const own = build.target.flux?.location?.file;
    const source = build.target.source.rel;
    const touched =
      build.inputs.some((input) => files.has(input)) ||
      (own !== undefined && files.has(own)) ||
      // A build that reads files it does not list: any change in its source may matter.
      (build.readsUnlisted === true && [...files].some((f) => source === '' || f.startsWith(`${source}/`)));
    if (touched || (deleted && build.status === 'failed')) {
      targets.add(build.target.key);
      for (const input of build.inputs) relevant.add(input);
      if (own) relevant.add(own);
    }
  }
  // What HelmReleases render: their charts and values files are no build's inputs.
  const helm = helmFocus(render.clusters, files, targets);
  for (const t of helm.targets) targets.add(t);
  for (const f of helm.files) relevant.add(f);
  return { files: relevant, targets };
}

const KUSTOMIZATION_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

/**
 * Which changed files can change what a build renders: a YAML file, or any file (a generator
 * input, a dashboard) below a directory holding a kustomization, or any file at all when some
 * kustomization has generator, transformer or validator configs (they name files of their own).
 * Anything else (a README, CI configuration) renders nothing.
 */
function buildInputsMayInclude(
  yamlFiles: readonly string[],
  sources: ReadonlyMap<string, SourceFile>,
): (file: string) => boolean {
  const kustomizations = yamlFiles.filter((f) => KUSTOMIZATION_FILE.test(f));
  if (
    kustomizations.some((f) =>
      hasPluginConfigs(sources.get(f)?.resources[0]?.value as Record<string, unknown>),
    )
  )
    return () => true;
  const dirs = new Set(kustomizations.map((f) => (f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '')));
  return (file) => {
    if (/\.ya?ml$/.test(file) || dirs.has('')) return true;
    for (let dir = file; dir.includes('/'); ) {
      dir = dir.slice(0, dir.lastIndexOf('/'));
      if (dirs.has(dir)) return true;
    }
    return false;
  };
}

function countAtLeast(diagnostics: readonly Diagnostic[], severity: Severity): number {
  return diagnostics.filter((d) => d.severity === severity).length;
}

const DEFAULT_CACHE_BYTES = 1 << 30;

/** The check stage, or its findings from an earlier run over the same render, config and code. */
async function cachedChecks(
  input: CheckStageInput,
  cacheDir: string | undefined,
): Promise<{ found: Diagnostic[]; wrote: boolean }> {
  // Changed-files mode checks a few builds: hashing the whole render for a key costs more than
  // checking them, and a changed file misses anyway.
  const key = cacheDir && !input.focus ? checkKey(input) : undefined;
  const cache = cacheDir && key ? openCheckCache(cacheDir) : undefined;
  const hit = key ? cache?.get<CachedChecks>(key) : undefined;
  if (hit) {
    input.debug?.('check cache: hit');
    return { found: hit, wrote: false };
  }
  // Loaded only when needed: a run answered from the cache never loads ajv, CEL or OPA.
  const { runChecks } = await import('./pipeline/check-stage.js');
  const found = await runChecks(input);
  if (key) cache?.set(key, found);
  return { found, wrote: cache !== undefined };
}

/**
 * The whole pipeline: discover, load, (render, check), suppress, sort. Never touches the console.
 * The run has a deadline (`timeoutSeconds`): past it, builds in flight are killed and the run
 * fails with a ToolError (exit 2) rather than hang a CI gate.
 */
export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  const root = resolveRoot(options);
  // Only for the deadline: the config is checked, all of it at once, in the run.
  const { config } = readConfig(root, options.configPath && path.resolve(options.cwd, options.configPath));
  const configured =
    typeof config.timeoutSeconds === 'number' && config.timeoutSeconds > 0
      ? config.timeoutSeconds
      : undefined;
  const seconds = options.timeoutSeconds ?? configured ?? DEFAULT_RUN_TIMEOUT_SECONDS;
  options.onDeadline?.(seconds);
  const deadline = AbortSignal.timeout(seconds * 1000);
  const outer = options.render?.signal;
  const signal = outer ? AbortSignal.any([outer, deadline]) : deadline;
  try {
    return await validateWithin({ ...options, render: { ...options.render, signal } }, signal);
  } catch (error) {
    if (deadline.aborted && !outer?.aborted) throw new ToolError(deadlineMessage(seconds), { cause: error });
    throw error;
  }
}

/** Stops between stages once the deadline has passed or Ctrl-C was pressed. */
function checkpoint(signal: AbortSignal): void {
  if (signal.aborted) throw new ToolError('interrupted');
}

async function validateWithin(options: ValidateOptions, signal: AbortSignal): Promise<ValidateResult> {
  const started = performance.now();
  const debug = options.debug ?? (() => {});
  const lap = timer(debug);
  const root = resolveRoot(options);
  const read = readConfig(root, options.configPath && path.resolve(options.cwd, options.configPath), {
    userPolicies: (options.policies?.length ?? 0) > 0,
  });
  const { config, file: configFile } = read;
  // Every problem the config shows on its own, in one run (schema, rule ids); `clusters:` names
  // are checked once the render has named the clusters.
  throwProblems(read);
  const { scopes, changed } = resolvePaths(options, root);
  const stages = new Set<Stage>(options.stages ?? STAGES);
  if (options.cacheDir) secureCacheDir(options.cacheDir);
  debug(`root ${root}`);
  lap('config');

  const buffers = options.buffers ?? {};
  const repo = await repoFiles(root, options.snapshot ?? 'worktree');
  debug(
    repo
      ? `git: ${repo.files.size} files in a clone (${repo.untracked.size} not tracked yet)`
      : 'git: not a git work tree; .gitignore files decide',
  );
  const discovered = await discoverFiles({ root, exclude: config.exclude, repo });
  const all = [...new Set([...discovered, ...Object.keys(buffers)])].sort();
  const files = all.filter((file) => inScope(file, scopes));
  lap('discover', `${all.length} files`);

  // Every file is loaded: rendering and the checks need the whole repository, whatever the scope.
  options.progress?.('load', 0, all.length);
  const sources = new Map<string, SourceFile>();
  const raw: Diagnostic[] = [];
  const placer = new Placer((file) => sources.get(file)?.text);
  const loaded = all.map((file) => loadFile(file, buffers[file] ?? readSource(path.join(root, file))));
  for (const result of loaded) {
    sources.set(result.source.file, result.source);
    raw.push(...result.diagnostics, ...result.pending.map((p) => placer.place(p)));
  }
  const resources = loaded.reduce((n, r) => n + r.source.resources.filter((x) => x.id).length, 0);
  const secrets = options.secrets ?? new SecretSet();
  addRepoSecrets(secrets, root, secretInputs(sources.values()), buffers);
  lap('load', `${resources} resources`);

  // Changed-files mode: a change no build (or Helm chart) can read renders nothing.
  const buildMayInclude = changed ? buildInputsMayInclude(all, sources) : () => true;
  const mayInclude = (file: string) => buildMayInclude(file) || inHelmChart(root, file);
  const renderSkipped =
    !stages.has('render') || (changed !== undefined && !changed.some((c) => mayInclude(c.file)));
  const render = await runRenderStage({
    root,
    cwd: options.cwd,
    config,
    configFile,
    files: all,
    loaded: sources,
    buffers,
    env: options.render?.env ?? {},
    kustomizeBin: options.render?.kustomizeBin,
    keepTemp: options.render?.keepTemp,
    signal: options.render?.signal,
    cacheDir: options.cacheDir,
    repoFiles: repo,
    debug,
    skip: renderSkipped,
    ...(options.origin ? { origin: options.origin } : {}),
    ...(options.progress
      ? { progress: (done: number, total: number) => options.progress?.('render', done, total) }
      : {}),
  });
  checkpoint(signal);
  if (!renderSkipped && isObject(config.clusters))
    throwProblems(read, unknownClusters(config, render.clusters, read.lineOf));
  raw.push(...render.findings);
  addRenderSecrets(secrets, root, render, buffers);
  raw.push(...unlistedFiles(render.builds, all, sources).map((p) => placer.place(p)));
  lap('render', `${render.clusters.length} clusters, ${render.builds.length} builds`);

  const focus = changedFocus(render, changed);
  const policy = {
    userPolicies: userPolicyDirs(config.policies, root, options.policies, options.cwd),
    env: options.render?.env ?? {},
  };
  options.progress?.('check');
  const checks = await cachedChecks(
    {
      root,
      config,
      render,
      loaded: sources,
      schema: {
        ...options.schema,
        ...(options.cacheDir ? { validatorCacheDir: options.cacheDir } : {}),
        redact: (text) => secrets.scrub(text),
      },
      policy,
      stages,
      ...(focus ? { focus } : {}),
      debug,
    },
    options.cacheDir,
  );
  checkpoint(signal);
  raw.push(...checks.found);
  if (options.serverDryRun && stages.has('dry-run') && render.clusters.length > 0) {
    options.progress?.('dry-run');
    // Loaded only for a dry run: the Kubernetes client is large.
    const { runDryRun } = await import('./dry-run/dry-run.js');
    raw.push(
      ...(await runDryRun({
        config,
        render,
        found: raw,
        options: options.serverDryRun,
        env: options.render?.env ?? {},
        secrets,
        debug,
      })),
    );
    checkpoint(signal);
    lap('dry-run');
  }
  lap('check');
  if (options.cacheDir && checks.wrote) {
    // Only a run that added entries can push the cache over its limit.
    const { removed } = pruneCache(options.cacheDir, options.cacheMaxBytes ?? DEFAULT_CACHE_BYTES);
    if (removed > 0) debug(`cache: pruned ${removed} entries`);
  }

  // A gate that checked nothing must not pass silently: no manifest, no kustomization, no cluster
  // (the wrong directory, or a repository that holds none yet).
  if (
    !changed &&
    stages.has('render') &&
    resources === 0 &&
    render.clusters.length === 0 &&
    render.standalone.length === 0 &&
    !raw.some((d) => d.severity !== 'info')
  )
    raw.push({
      ruleId: 'render/nothing-checked',
      severity: 'warning',
      source: 'render',
      file: scopes[0] ?? '.',
      line: 1,
      column: 1,
      message: `nothing to check here: no Kubernetes manifest, kustomization or Flux object in ${scopes[0] ?? root} (${all.length} YAML file${all.length === 1 ? '' : 's'}); run fluxgate in your GitOps repository, or name the directory that holds it`,
    });
  const relevant = focus?.files;
  const scoped = raw.filter((d) => inScope(d.file, scopes) && (!relevant || relevant.has(d.file)));
  const linesOf = (file: string, docIndex: number) => {
    const d = placer.place({
      ruleId: '',
      severity: 'info',
      message: '',
      file,
      docIndex,
      pointer: '',
      source: 'config',
    });
    return { line: d.line, endLine: d.endLine ?? d.line };
  };
  const withHelp = scoped.map((d) => (findRule(d.ruleId) ? { ...d, helpUri: helpUri(d.ruleId) } : d));
  const configured = applyRuleSettings(withHelp, config.rules);
  const scopedSources = [...sources.values()].filter((source) => inScope(source.file, scopes));
  const diagnostics = dedupeDiagnostics(applySuppressions(configured, scopedSources, linesOf));
  lap('report');

  // What the render covered: clusters and their Kustomizations, builds alone, files as written.
  const built = builtInputs(render);
  const asWritten = [...sources.values()].filter(
    (s) => !built(s.file) && s.resources.some((r) => r.id !== undefined),
  ).length;
  const coverage = stages.has('render') ? coverageOf(render, asWritten) : undefined;
  return {
    root,
    config,
    diagnostics,
    files: sources,
    clusters: render.clusters,
    render,
    secrets,
    summary: {
      files: relevant ? files.filter((f) => relevant.has(f)).length : files.length,
      resources: relevant
        ? loaded.reduce(
            (n, r) => n + (relevant.has(r.source.file) ? r.source.resources.filter((x) => x.id).length : 0),
            0,
          )
        : resources,
      clusters: render.clusters.length,
      errors: countAtLeast(diagnostics, 'error'),
      warnings: countAtLeast(diagnostics, 'warning'),
      durationMs: Math.round(performance.now() - started),
      kustomizeVersion: render.kustomizeVersion,
      ...(coverage ? { coverage } : {}),
    },
  };
}
