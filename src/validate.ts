import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config/config.js';
import { findRoot } from './config/find-root.js';
import { loadConfig } from './config/load-config.js';
import { type Diagnostic, dedupeDiagnostics, type Severity } from './core/diagnostic.js';
import { UsageError } from './core/errors.js';
import { isInside, toRepoPath } from './core/paths.js';
import { discoverFiles, inScope } from './discover/discover.js';
import { loadFile } from './load/load-file.js';
import { Placer } from './load/placer.js';
import { readText } from './load/read-text.js';
import type { SourceFile } from './load/resource.js';
import { type RenderStage, runRenderStage } from './model/render-stage.js';
import type { RenderedCluster } from './model/types.js';
import { applyRuleSettings } from './pipeline/rule-settings.js';
import type { Summary } from './report/summary.js';
import { findRule } from './rules/registry.js';
import { helpUri } from './rules/rule-meta.js';
import { runSchemaCheck, type SchemaRunOptions } from './schema/run-schema-check.js';
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
  /** Schema check flags (`--schema-location`, `--offline`, `--require-schemas`, versions). */
  schema?: SchemaRunOptions;
  /** Render stage: the environment to find kustomize in (PATH, tools cache), `--kustomize-bin`, `--keep-temp`, Ctrl-C. */
  render?: {
    env?: Readonly<Record<string, string | undefined>>;
    kustomizeBin?: string;
    keepTemp?: boolean;
    signal?: AbortSignal;
  };
}

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

function countAtLeast(diagnostics: readonly Diagnostic[], severity: Severity): number {
  return diagnostics.filter((d) => d.severity === severity).length;
}

/** The whole pipeline: discover, load, (render, check), suppress, sort. Never touches the console. */
export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  const started = performance.now();
  const debug = options.debug ?? (() => {});
  const lap = timer(debug);
  const root = resolveRoot(options);
  const { config, file: configFile } = loadConfig(
    root,
    options.configPath && path.resolve(options.cwd, options.configPath),
  );
  const { scopes, changed } = resolvePaths(options, root);
  debug(`root ${root}`);
  lap('config');

  const buffers = options.buffers ?? {};
  const discovered = await discoverFiles({ root, exclude: config.exclude });
  const all = [...new Set([...discovered, ...Object.keys(buffers)])].sort();
  // Until build targets exist, a changed file affects only itself.
  const changedFiles = changed && new Set(changed.filter((c) => c.status !== 'deleted').map((c) => c.file));
  const files = all.filter((file) => inScope(file, scopes) && (!changedFiles || changedFiles.has(file)));
  lap('discover', `${files.length} files`);

  const sources = new Map<string, SourceFile>();
  const raw: Diagnostic[] = [];
  const placer = new Placer((file) => sources.get(file)?.text);
  const loaded = await Promise.all(
    files.map(async (file) => loadFile(file, buffers[file] ?? (await readText(path.join(root, file))))),
  );
  for (const result of loaded) {
    sources.set(result.source.file, result.source);
    raw.push(...result.diagnostics, ...result.pending.map((p) => placer.place(p)));
  }
  const resources = loaded.reduce((n, r) => n + r.source.resources.filter((x) => x.id).length, 0);
  lap('load', `${resources} resources`);

  const schemaFindings = await runSchemaCheck(sources, root, config, options.schema, debug);
  raw.push(...schemaFindings.map((p) => placer.place(p)));
  lap('schema', `${schemaFindings.length} findings`);

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
    debug,
  });
  // Until changed-files mode maps files to build targets, render findings follow the same scope.
  raw.push(
    ...render.findings.filter((d) => inScope(d.file, scopes) && (!changedFiles || changedFiles.has(d.file))),
  );
  lap('render', `${render.clusters.length} clusters, ${render.builds.length} builds`);

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
  const withHelp = raw.map((d) => (findRule(d.ruleId) ? { ...d, helpUri: helpUri(d.ruleId) } : d));
  const configured = applyRuleSettings(withHelp, config.rules);
  const diagnostics = dedupeDiagnostics(applySuppressions(configured, [...sources.values()], linesOf));
  lap('report');

  return {
    root,
    config,
    diagnostics,
    files: sources,
    clusters: render.clusters,
    render,
    summary: {
      files: files.length,
      resources,
      clusters: render.clusters.length,
      errors: countAtLeast(diagnostics, 'error'),
      warnings: countAtLeast(diagnostics, 'warning'),
      durationMs: Math.round(performance.now() - started),
      kustomizeVersion: render.kustomizeVersion,
    },
  };
}
