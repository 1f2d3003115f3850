import path from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { fluxgateCacheDir } from '../cache/cache-dir.js';
import { findRoot } from '../config/find-root.js';
import { UsageError } from '../core/errors.js';
import { SecretSet } from '../core/secret-set.js';
import { compareClusters } from '../diff/compare-clusters.js';
import { findingChanges } from '../diff/finding-changes.js';
import { commitSideKey, openSideCache } from '../diff/side-cache.js';
import { type ComparedSide, type SideData, toSideData } from '../diff/side-check.js';
import { checkSides, type Side } from '../diff/sides.js';
import { type DiffResult, hasDifferences } from '../diff/types.js';
import { DEFAULT_MARKDOWN_LIMIT, DIFF_FORMATTERS, isDiffFormat } from '../report/diff/format.js';
import { redactDiagnostics } from '../report/redact.js';
import { validate } from '../validate.js';
import { debugWriter } from './debug-writer.js';
import { DIFF_HELP } from './help.js';
import { toolEnv, withInterrupts } from './interrupt.js';
import type { CliIo } from './io.js';

const DIFF_OPTIONS = {
  format: { type: 'string', short: 'f' },
  staged: { type: 'boolean' },
  cluster: { type: 'string' },
  unified: { type: 'string', short: 'U' },
  'max-size': { type: 'string' },
  root: { type: 'string' },
  'kustomize-bin': { type: 'string' },
  'no-cache': { type: 'boolean' },
  'no-color': { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

function parse(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: DIFF_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')}\nRun 'fluxgate diff --help' for usage.`,
    );
  }
}

function count(flag: string, given: string | undefined, fallback: number, min: number): number {
  if (given === undefined) return fallback;
  const n = Number(given);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${flag} ${given}: expected a whole number of at least ${min}`);
  return n;
}

function colorOn(io: CliIo, noColor: boolean | undefined): boolean {
  if (noColor || (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '')) return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}

/**
 * `fluxgate diff [BASE [HEAD]]`: both sides rendered and checked by the same pipeline (a commit
 * from a temporary export, outside the repository; the cache shared), compared per cluster.
 * Exit 0 no difference, 1 differences, 2 usage or tool error (as diff(1) and `flux diff`).
 */
export async function runDiff(io: CliIo, args: readonly string[], secrets: SecretSet): Promise<number> {
  const { values, positionals } = parse(args);
  if (values.help) {
    io.stdout.write(DIFF_HELP);
    return 0;
  }
  if (positionals.length > 2)
    throw new UsageError("diff takes at most BASE and HEAD\nRun 'fluxgate diff --help' for usage.");
  const [baseRef, headRef] = positionals;
  if (headRef !== undefined && values.staged === true)
    throw new UsageError('diff: --staged compares with the index: it takes no HEAD');
  const format = values.format ?? 'text';
  if (!isDiffFormat(format)) throw new UsageError(`--format ${format}: expected text, json or markdown`);
  const context = count('unified', values.unified, 3, 0);
  const maxChars = count('max-size', values['max-size'], DEFAULT_MARKDOWN_LIMIT, 2000);
  const root = values.root ? path.resolve(io.cwd, values.root) : (findRoot(io.cwd) ?? io.cwd);
  const debug = values.debug ? debugWriter(io, secrets) : undefined;
  const cacheDir = values['no-cache'] === true ? undefined : fluxgateCacheDir(io.env);

  return withInterrupts(async (signal) => {
    // Each side as validate checks the work tree: the same cache, kustomize and Ctrl-C.
    const validateSide = (side: Side, own: SecretSet, log: ((message: string) => void) | undefined) =>
      validate({
        cwd: side.root,
        root: side.root,
        secrets: own,
        ...(cacheDir ? { cacheDir } : {}),
        ...(log ? { debug: log } : {}),
        ...(side.snapshot ? { snapshot: side.snapshot } : {}),
        ...(side.origin ? { origin: side.origin } : {}),
        render: {
          env: toolEnv(io),
          signal,
          ...(values['kustomize-bin'] ? { kustomizeBin: values['kustomize-bin'] } : {}),
        },
      });
    const sideCache = cacheDir ? openSideCache(cacheDir) : undefined;
    // The cache key of each commit whose result was not in the cache: its check writes it.
    const keys = new Map<string, string>();
    // A commit is checked with its own secret set, which the cache keeps with its result; its
    // values join the run's before anything of either side is printed.
    const checkCommit = async (side: Side): Promise<ComparedSide> => {
      debug?.(`diff: ${side.label} read from ${side.root}`);
      const own = new SecretSet();
      const result = await validateSide(side, own, debug && ((message) => debug(own.scrub(message))));
      secrets.addForms(own.toForms());
      const key = side.commit === undefined ? undefined : keys.get(side.commit);
      if (key) sideCache?.set(key, toSideData(result, own));
      return result;
    };
    const { base, head, before, after } = await checkSides<ComparedSide>(
      root,
      { base: baseRef, head: headRef, staged: values.staged === true },
      {
        head: (side) => {
          if (side.commit !== undefined) return checkCommit(side);
          debug?.(`diff: ${side.label} read from ${side.root}`);
          return validateSide(side, secrets, debug);
        },
        base: checkCommit,
        // A commit checked before (the merge base of every run on a branch) is not exported
        // and checked again: its result is kept by everything it depends on (side-cache.ts).
        known: async (commit, which) => {
          if (!cacheDir || !sideCache) return undefined;
          const started = performance.now();
          const env = toolEnv(io);
          const kustomizeBin = values['kustomize-bin'];
          const keyed = await commitSideKey({ root, commit, cacheDir, env, kustomizeBin, cwd: io.cwd });
          if ('key' in keyed) keys.set(commit, keyed.key);
          const hit = 'key' in keyed ? sideCache.get<SideData>(keyed.key) : undefined;
          const state = hit
            ? 'from the cache'
            : 'key' in keyed
              ? 'not in the cache'
              : `not cached: ${keyed.why}`;
          debug?.(`diff: ${which} ${commit}: ${state} (${(performance.now() - started).toFixed(0)} ms)`);
          if (hit) secrets.addForms(hit.secretForms);
          return hit;
        },
      },
      signal,
    );
    const result = compare(base, head, before, after, secrets, context, values.cluster);
    io.stdout.write(DIFF_FORMATTERS[format](result, { color: colorOn(io, values['no-color']), maxChars }));
    return hasDifferences(result) ? 1 : 0;
  }, io.signal);
}

function compare(
  base: Side,
  head: Side,
  before: ComparedSide,
  after: ComparedSide,
  secrets: SecretSet,
  context: number,
  cluster: string | undefined,
): DiffResult {
  const findings = {
    base: redactDiagnostics(before.diagnostics, secrets),
    head: redactDiagnostics(after.diagnostics, secrets),
  };
  let clusters = compareClusters(before.clusters, after.clusters, findings, { secrets, context });
  if (cluster !== undefined) {
    clusters = clusters.filter((c) => c.name === cluster);
    if (clusters.length === 0) {
      const names = [...new Set([...before.clusters, ...after.clusters].map((c) => c.name))].join(', ');
      throw new UsageError(`--cluster ${cluster}: no such cluster (clusters: ${names || 'none'})`);
    }
  }
  const noCluster = (list: typeof findings.base) => list.filter((d) => d.cluster === undefined);
  // Object diffs are redacted as they are made; a secret value that became a name (substituted
  // into metadata.name) is scrubbed here, before a formatter escapes what it prints.
  const scrub = (text: string) => secrets.scrub(text);
  clusters = clusters.map((c) => ({
    ...c,
    objects: c.objects.map((o) => ({
      ...o,
      id: {
        ...o.id,
        name: scrub(o.id.name),
        ...(o.id.namespace ? { namespace: scrub(o.id.namespace) } : {}),
      },
      ...(o.previousName ? { previousName: scrub(o.previousName) } : {}),
    })),
    notRendered: c.notRendered.map(scrub),
  }));
  return {
    base: { label: base.label, ...(base.commit ? { commit: base.commit } : {}) },
    head: { label: head.label, ...(head.commit ? { commit: head.commit } : {}) },
    clusters,
    repository:
      cluster === undefined
        ? findingChanges(noCluster(findings.base), noCluster(findings.head))
        : { added: [], removed: [] },
  };
}
