import path from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { newFindings, readBaseline } from '../baseline/baseline.js';
import { fluxgateCacheDir } from '../cache/cache-dir.js';
import { cleanCache } from '../cache/store.js';
import { findRoot } from '../config/find-root.js';
import { type Diagnostic, isSeverity, type Severity, severityAtLeast } from '../core/diagnostic.js';
import { isFluxgateError, UsageError } from '../core/errors.js';
import { fluxgateVersion } from '../core/package-files.js';
import { toRepoPath } from '../core/paths.js';
import { SecretSet } from '../core/secret-set.js';
import { suggest } from '../core/suggest.js';
import { daemonEligible } from '../daemon/client.js';
import { exportRef } from '../git/export-ref.js';
import { stagedSnapshot } from '../git/staged.js';
import { decodeText } from '../load/read-text.js';
import type { FormatContext } from '../report/formatter.js';
import { FORMATTERS } from '../report/formatters/index.js';
import { planOutputs } from '../report/formatters/output-plan.js';
import { prepareReport } from '../report/prepare.js';
import { RULES } from '../rules/registry.js';
import type { SchemaRunOptions } from '../schema/run-schema-check.js';
import { STAGES, type Stage, type ValidateOptions, type ValidateResult, validate } from '../validate.js';
import { debugWriter } from './debug-writer.js';
import {
  BUILD_HELP,
  CACHE_HELP,
  CHARTS_HELP,
  COMMENT_HELP,
  DAEMON_HELP,
  DIFF_HELP,
  GRAPH_HELP,
  INIT_HELP,
  MAIN_HELP,
  POLICY_HELP,
  RULES_HELP,
  SCHEMAS_HELP,
  VALIDATE_HELP,
} from './help.js';
import { toolEnv, withInterrupts } from './interrupt.js';
import type { CliIo } from './io.js';
import { writeNotice } from './notice.js';
import { progressLine } from './progress.js';
import { writeAtomic } from './write-atomic.js';

const HELP: Record<string, string> = {
  validate: VALIDATE_HELP,
  rules: RULES_HELP,
  init: INIT_HELP,
  build: BUILD_HELP,
  policy: POLICY_HELP,
  cache: CACHE_HELP,
  charts: CHARTS_HELP,
  comment: COMMENT_HELP,
  daemon: DAEMON_HELP,
  diff: DIFF_HELP,
  graph: GRAPH_HELP,
  schemas: SCHEMAS_HELP,
};

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    // node's messages name the flag; drop its stack and error code.
    throw new UsageError(
      `${(error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')}\nRun 'fluxgate --help' for usage.`,
    );
  }
}

const VALIDATE_OPTIONS = {
  format: { type: 'string', short: 'f', multiple: true },
  'fail-level': { type: 'string' },
  root: { type: 'string' },
  config: { type: 'string', short: 'c' },
  quiet: { type: 'boolean', short: 'q' },
  'no-color': { type: 'boolean' },
  debug: { type: 'boolean' },
  'keep-temp': { type: 'boolean' },
  'kustomize-bin': { type: 'string' },
  staged: { type: 'boolean' },
  stdin: { type: 'boolean' },
  baseline: { type: 'string' },
  'new-since': { type: 'string' },
  'stdin-filename': { type: 'string' },
  'schema-location': { type: 'string', multiple: true },
  offline: { type: 'boolean' },
  'require-schemas': { type: 'boolean' },
  'kubernetes-version': { type: 'string' },
  'flux-version': { type: 'string' },
  policy: { type: 'string', multiple: true },
  'no-cache': { type: 'boolean' },
  timeout: { type: 'string' },
  'server-dry-run': { type: 'boolean' },
  context: { type: 'string' },
  cluster: { type: 'string' },
  kubeconfig: { type: 'string' },
  'impersonate-flux': { type: 'boolean' },
  'no-daemon': { type: 'boolean' },
  only: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

function didYouMean(given: string, allowed: readonly string[]): string {
  const hint = suggest(given, allowed);
  return hint ? ` (did you mean "${hint}"?)` : '';
}

function useColor(io: CliIo, noColor: boolean | undefined): boolean {
  if (noColor || (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '')) return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}

/** `--staged` checks what is staged (the index), read without touching the work tree or the index. */
async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) throw new UsageError('--stdin: no standard input');
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return decodeText(Buffer.concat(chunks));
}

/** `--stdin --stdin-filename PATH`: an unsaved editor buffer, checked as if it were PATH in its repo. */
async function validateStdin(io: CliIo, options: ValidateOptions, filename: string | undefined) {
  if (!filename)
    throw new UsageError('--stdin needs --stdin-filename PATH (where the buffer lives in its repo)');
  if (options.paths && options.paths.length > 0) throw new UsageError('--stdin takes no PATH arguments');
  const absolute = path.resolve(io.cwd, filename);
  const root = options.root
    ? path.resolve(io.cwd, options.root)
    : (findRoot(path.dirname(absolute)) ?? path.dirname(absolute));
  const text = await readAll(io.stdin);
  return validate({ ...options, root, paths: [absolute], buffers: { [toRepoPath(root, absolute)]: text } });
}

async function validateFromCli(io: CliIo, options: ValidateOptions, staged: boolean) {
  if (!staged) return validate(options);
  if (options.paths && options.paths.length > 0) throw new UsageError('--staged takes no PATH arguments');
  const root = options.root ? path.resolve(io.cwd, options.root) : (findRoot(io.cwd) ?? io.cwd);
  const snapshot = await stagedSnapshot(root);
  options.debug?.(`staged: ${snapshot.changes.length} changed files, reading ${snapshot.root}`);
  try {
    const result = await validate({
      ...options,
      root: snapshot.root,
      changed: snapshot.changes,
      snapshot: snapshot.root === root ? 'index' : 'export',
      ...(snapshot.root === root ? {} : { origin: root }),
    });
    return { ...result, root };
  } finally {
    await snapshot.cleanup();
  }
}

/** What a validate run was asked to check with: its flags, without what names the files to check. */
type CheckFlags = Omit<ValidateOptions, 'cwd' | 'paths' | 'changed' | 'buffers' | 'root' | 'progress'>;

/**
 * `--baseline FILE` / `--new-since REF`: report (and fail on) only findings that are new, so a
 * team with a backlog can turn the gate on today. REF is checked as the work tree was: the same
 * flags (schema locations, versions, policies, stages, kustomize, config file, dry run), so a
 * finding only those flags make is not new; and with the same cache, so its builds are reused.
 */
async function onlyNew(
  io: CliIo,
  result: ValidateResult,
  baselineFile: string | undefined,
  ref: string | undefined,
  flags: CheckFlags,
): Promise<Pick<ValidateResult, 'diagnostics' | 'summary'>> {
  if (baselineFile !== undefined && ref !== undefined)
    throw new UsageError('--baseline and --new-since exclude each other');
  let baseline: Diagnostic[];
  if (baselineFile !== undefined) baseline = readBaseline(path.resolve(io.cwd, baselineFile), baselineFile);
  else if (ref !== undefined) {
    baseline = await withInterrupts(async (signal) => {
      const exported = await exportRef(result.root, ref, `--new-since ${ref}`, signal);
      flags.debug?.(`new-since ${ref}: checking ${exported.root}`);
      try {
        return (
          await validate({
            ...flags,
            cwd: exported.root,
            root: exported.root,
            origin: result.root,
            ...(flags.configPath ? { configPath: path.resolve(io.cwd, flags.configPath) } : {}),
            // --policy directories as given now, so their findings at REF count as old.
            ...(flags.policies ? { policies: flags.policies.map((p) => path.resolve(io.cwd, p)) } : {}),
            render: { ...flags.render, signal },
          })
        ).diagnostics;
      } finally {
        await exported.cleanup();
      }
    }, io.signal);
  } else return result;
  const diagnostics = newFindings(result.diagnostics, baseline);
  const count = (severity: Severity) => diagnostics.filter((d) => d.severity === severity).length;
  return { diagnostics, summary: { ...result.summary, errors: count('error'), warnings: count('warning') } };
}

async function runValidate(io: CliIo, args: readonly string[], secrets: SecretSet): Promise<number> {
  const { values, positionals } = parse(args, VALIDATE_OPTIONS);
  if (values.help) {
    io.stdout.write(VALIDATE_HELP);
    return 0;
  }
  const targets = planOutputs(values.format as string[] | undefined, io);
  const failLevelFlag = values['fail-level'] as string | undefined;
  if (failLevelFlag !== undefined && !isSeverity(failLevelFlag)) {
    throw new UsageError(
      `--fail-level ${failLevelFlag}: expected error, warning or info${didYouMean(failLevelFlag, ['error', 'warning', 'info'])}`,
    );
  }
  const debug = values.debug ? debugWriter(io, secrets) : undefined;
  if (values['stdin-filename'] !== undefined && !values.stdin)
    throw new UsageError('--stdin-filename goes with --stdin');
  if (values.stdin && values.staged) throw new UsageError('--stdin and --staged exclude each other');
  const run = values.stdin
    ? (o: ValidateOptions) => validateStdin(io, o, values['stdin-filename'] as string | undefined)
    : (o: ValidateOptions) => validateFromCli(io, o, values.staged === true);
  const progress = progressLine(io, { quiet: values.quiet === true, debug: debug !== undefined });
  const flags: CheckFlags = {
    ...(values.config ? { configPath: values.config as string } : {}),
    ...(debug ? { debug } : {}),
    schema: schemaFlags(values, io.env),
    ...(values.policy ? { policies: values.policy as string[] } : {}),
    ...cacheFlags(io, values),
    ...timeoutFlag(values),
    ...(io.onDeadline ? { onDeadline: io.onDeadline } : {}),
    ...dryRunFlags(io, values),
    ...stageFlags(values),
    render: renderFlags(io, values),
    secrets,
  };
  const result = await withInterrupts(
    (signal) =>
      run({
        ...flags,
        cwd: io.cwd,
        progress: (stage, done, total) => progress.update(stage, done, total),
        paths: positionals,
        ...(values.root ? { root: values.root as string } : {}),
        render: { ...flags.render, signal },
      }),
    io.signal,
  ).finally(() => progress.clear());
  const adopted = await onlyNew(
    io,
    result,
    values.baseline as string | undefined,
    values['new-since'] as string | undefined,
    flags,
  );
  const failLevel: Severity = (failLevelFlag as Severity | undefined) ?? result.config.failLevel ?? 'error';
  // Every secret the run learned (written, generated, substituted, credentials) is scrubbed.
  const report = prepareReport(adopted.diagnostics, result.files, secrets);
  const failed = report.diagnostics.some((d) => severityAtLeast(d.severity, failLevel));
  const context: FormatContext = {
    summary: adopted.summary,
    sourceLine: report.sourceLine,
    color: useColor(io, values['no-color'] as boolean | undefined),
    quiet: values.quiet === true,
    failed,
    root: result.root,
    version: fluxgateVersion(),
  };
  // Files first, so a path that cannot be written is exit 2 before anything is printed.
  for (const { format, file } of targets)
    if (file) writeAtomic(file, FORMATTERS[format](report.diagnostics, { ...context, color: false }));
  for (const { format, file } of targets)
    if (!file) io.stdout.write(FORMATTERS[format](report.diagnostics, context));
  writeNotice(io, result.render.kustomizeNotice, values.quiet === true);
  return failed ? 1 : 0;
}

/**
 * The render stage's flags and environment (kustomize is looked up in PATH and the tools cache);
 * each run adds its own signal (Ctrl-C).
 */
function renderFlags(io: CliIo, values: Record<string, unknown>): ValidateOptions['render'] {
  return {
    env: toolEnv(io),
    ...(values['keep-temp'] === true ? { keepTemp: true } : {}),
    ...(typeof values['kustomize-bin'] === 'string' ? { kustomizeBin: values['kustomize-bin'] } : {}),
  };
}

/** The build and check cache (`--no-cache`: none); FLUXGATE_CACHE_MAX_MB bounds its size. */
function cacheFlags(
  io: CliIo,
  values: Record<string, unknown>,
): Pick<ValidateOptions, 'cacheDir' | 'cacheMaxBytes'> {
  const dir = values['no-cache'] === true ? undefined : fluxgateCacheDir(io.env);
  if (!dir) return {};
  const mb = io.env.FLUXGATE_CACHE_MAX_MB;
  if (mb === undefined || mb === '') return { cacheDir: dir };
  const n = Number(mb);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`FLUXGATE_CACHE_MAX_MB=${mb}: expected a positive number`);
  return { cacheDir: dir, cacheMaxBytes: Math.round(n * 1024 * 1024) };
}

/** `--server-dry-run` and the flags that only mean something with it. */
function dryRunFlags(io: CliIo, values: Record<string, unknown>): Pick<ValidateOptions, 'serverDryRun'> {
  const str = (k: string) => values[k] as string | undefined;
  if (values['server-dry-run'] !== true) {
    const stray = ['context', 'cluster', 'kubeconfig', 'impersonate-flux'].find(
      (k) => values[k] !== undefined,
    );
    if (stray) throw new UsageError(`--${stray} goes with --server-dry-run`);
    return {};
  }
  const kubeconfig = str('kubeconfig');
  return {
    serverDryRun: {
      ...(kubeconfig ? { kubeconfig: path.resolve(io.cwd, kubeconfig) } : {}),
      ...(str('context') ? { context: str('context') } : {}),
      ...(str('cluster') ? { cluster: str('cluster') } : {}),
      ...(values['impersonate-flux'] === true ? { impersonateFlux: true } : {}),
    },
  };
}

/** `--timeout SECONDS`: the run's deadline. */
function timeoutFlag(values: Record<string, unknown>): Pick<ValidateOptions, 'timeoutSeconds'> {
  const given = values.timeout as string | undefined;
  if (given === undefined) return {};
  const seconds = Number(given);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`--timeout ${given}: expected a number of seconds greater than 0`);
  return { timeoutSeconds: seconds };
}

/** `--only STAGE,...` / `--skip STAGE,...`: which stages run (to measure one alone, or to skip one). */
function stageFlags(values: Record<string, unknown>): Pick<ValidateOptions, 'stages'> {
  const list = (flag: 'only' | 'skip') => {
    const given = (values[flag] as string[] | undefined)?.flatMap((v) => v.split(',')).map((v) => v.trim());
    if (!given) return undefined;
    for (const stage of given)
      if (!(STAGES as readonly string[]).includes(stage))
        throw new UsageError(
          `--${flag} ${stage}: expected one of ${STAGES.join(', ')}${didYouMean(stage, STAGES)}`,
        );
    return given as Stage[];
  };
  const only = list('only');
  const skip = list('skip');
  if (only && skip) throw new UsageError('--only and --skip exclude each other');
  if (only) return { stages: only };
  if (skip) return { stages: STAGES.filter((s) => !skip.includes(s)) };
  return {};
}

/** `--kubernetes-version` / `--flux-version`: a version such as 1.33 or v2.9.4, else exit 2. */
function versionFlag(values: Record<string, unknown>, flag: 'kubernetes-version' | 'flux-version') {
  const given = values[flag] as string | undefined;
  if (given === undefined || /^v?\d+\.\d+(\.\d+)?$/.test(given)) return given;
  const like = /\d+\.\d+(\.\d+)?/.exec(given)?.[0];
  throw new UsageError(
    `--${flag} ${given}: not a version (e.g. ${flag === 'flux-version' ? '2.9 or v2.9.4' : '1.33 or v1.33.2'})${like ? ` (did you mean "${like}"?)` : ''}`,
  );
}

/** The schema check's flags; the schema cache lives in fluxgate's cache directory. */
function schemaFlags(values: Record<string, unknown>, env: CliIo['env']): SchemaRunOptions {
  const kubernetesVersion = versionFlag(values, 'kubernetes-version');
  const fluxVersion = versionFlag(values, 'flux-version');
  const cacheHome = fluxgateCacheDir(env);
  return {
    schemaLocations: (values['schema-location'] as string[] | undefined) ?? [],
    offline: values.offline === true,
    requireSchemas: values['require-schemas'] === true,
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
    ...(fluxVersion ? { fluxVersion } : {}),
    ...(cacheHome ? { schemaCacheDir: path.join(cacheHome, 'schemas') } : {}),
  };
}

async function runInit(io: CliIo, args: readonly string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    hooks: { type: 'string' },
    force: { type: 'boolean' },
    root: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(INIT_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`init takes no arguments (got ${positionals[0]})`);
  if (values.hooks !== undefined && values.hooks !== 'husky')
    throw new UsageError(`--hooks ${values.hooks}: expected husky`);
  const root = values.root ? path.resolve(io.cwd, values.root) : (findRoot(io.cwd) ?? io.cwd);
  const { init } = await import('../init/init.js');
  const result = await init({
    root,
    ...(values.hooks ? { hooks: 'husky' as const } : {}),
    force: values.force === true,
  });
  for (const file of result.written) io.stdout.write(`wrote ${file}\n`);
  for (const file of result.skipped) io.stdout.write(`kept ${file} (exists; --force overwrites)\n`);
  for (const line of result.done) io.stdout.write(`${line}\n`);
  for (const step of result.next) io.stdout.write(`next: ${step}\n`);
  return 0;
}

/** `fluxgate cache dir|clean`: where the cache is, and emptying it. */
function runCache(io: CliIo, args: readonly string[]): number {
  const { values, positionals } = parse(args, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout.write(CACHE_HELP);
    return 0;
  }
  const [action, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`cache ${action} takes no arguments (got ${extra[0]})`);
  const dir = fluxgateCacheDir(io.env);
  if (!dir) throw new UsageError('no cache directory: set FLUXGATE_CACHE_DIR, XDG_CACHE_HOME or HOME');
  switch (action) {
    case 'dir':
      io.stdout.write(`${dir}\n`);
      return 0;
    case 'clean': {
      const { entries, bytes } = cleanCache(dir);
      io.stdout.write(`removed ${entries} entries (${(bytes / 1024 / 1024).toFixed(1)} MB) from ${dir}\n`);
      return 0;
    }
    default:
      throw new UsageError(
        `${action === undefined ? 'cache needs an action' : `unknown cache action "${action}"`}: expected dir or clean`,
      );
  }
}

function runRules(io: CliIo, args: readonly string[]): number {
  const { values } = parse(args, {
    format: { type: 'string', short: 'f' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(RULES_HELP);
    return 0;
  }
  if (values.format === 'json') {
    io.stdout.write(`${JSON.stringify(RULES, null, 2)}\n`);
    return 0;
  }
  if (values.format !== undefined && values.format !== 'text')
    throw new UsageError(`--format ${String(values.format)}: expected text or json`);
  const width = Math.max(...RULES.map((r) => r.id.length));
  for (const rule of RULES) {
    io.stdout.write(`${rule.id.padEnd(width)}  ${rule.defaultSeverity.padEnd(7)}  ${rule.description}\n`);
  }
  return 0;
}

/**
 * `FLUXGATE_DAEMON=auto`: a validate run that found no daemon (bin/ asked first) starts one in the
 * background for the runs after it, outside CI. This run goes on in-process.
 */
export async function autoStartDaemon(io: CliIo): Promise<void> {
  const cacheDir = fluxgateCacheDir(io.env);
  if (io.env.FLUXGATE_DAEMON !== 'auto' || io.env.CI || !cacheDir || process.platform === 'win32') return;
  if (!daemonEligible(io.argv, io.env)) return;
  try {
    const { startDaemon, DEFAULT_IDLE_MINUTES } = await import('./daemon-command.js');
    await startDaemon(toolEnv(io), cacheDir, DEFAULT_IDLE_MINUTES, false);
  } catch {
    // the next run tries again
  }
}

/** The CLI: returns the exit code; only this module (and bin/) touches process-level I/O. */
export async function main(io: CliIo): Promise<number> {
  const [command, ...rest] = io.argv;
  // Every secret value the command learns; nothing it prints (an error too) may contain one.
  const secrets = new SecretSet();
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
        io.stdout.write(MAIN_HELP);
        return command === undefined ? 2 : 0;
      case 'help': {
        io.stdout.write(HELP[rest[0] ?? ''] ?? MAIN_HELP);
        return 0;
      }
      case '-v':
      case '--version':
      case 'version':
        io.stdout.write(`${fluxgateVersion()}\n`);
        return 0;
      case 'validate':
        return await runValidate(io, rest, secrets);
      case 'rules':
        return runRules(io, rest);
      // Commands load their own modules: `validate` on every commit starts without them.
      case 'build':
        return await (await import('./build-command.js')).runBuild(io, rest, secrets);
      case 'diff':
        return await (await import('./diff-command.js')).runDiff(io, rest, secrets);
      case 'graph':
        return await (await import('./graph-command.js')).runGraph(io, rest, secrets);
      case 'comment':
        return await (await import('./comment-command.js')).runComment(io, rest, secrets);
      case 'init':
        return await runInit(io, rest);
      case 'policy':
        return await (await import('./policy-command.js')).runPolicy(io, rest);
      case 'cache':
        return runCache(io, rest);
      case 'charts':
        return await (await import('./charts-command.js')).runCharts(io, rest);
      case 'schemas':
        return await (await import('./schemas-command.js')).runSchemas(io, rest, secrets);
      case 'daemon':
        return await (await import('./daemon-command.js')).runDaemonCommand(io, rest, main);
      default:
        throw new UsageError(`unknown command "${command}"\nRun 'fluxgate --help' for usage.`);
    }
  } catch (error) {
    if (isFluxgateError(error)) {
      io.stderr.write(`fluxgate: ${secrets.scrub(error.message)}\n`);
      return error.exitCode;
    }
    // An unexpected failure is still a tool error (exit 2) with one line; --debug shows the stack.
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`fluxgate: internal error: ${secrets.scrub(message)}\n`);
    if (io.argv.includes('--debug') && error instanceof Error && error.stack)
      io.stderr.write(`${secrets.scrub(error.stack)}\n`);
    return 2;
  }
}
