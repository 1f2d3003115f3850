import path from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { fluxgateCacheDir } from '../cache/cache-dir.js';
import { findRoot } from '../config/find-root.js';
import { UsageError } from '../core/errors.js';
import type { SecretSet } from '../core/secret-set.js';
import { compareClusters } from '../diff/compare-clusters.js';
import { checkSides, type Side } from '../diff/sides.js';
import { type ClusterGraph, clusterGraph, type NodeFinding } from '../graph/fleet-graph.js';
import { markChanges } from '../graph/node-changes.js';
import { attachFindings, repositoryFindings } from '../graph/node-findings.js';
import { scrubStrings } from '../render/output/build-output.js';
import { formatGraphDot } from '../report/graph/dot.js';
import { formatGraphHtml, type GraphHtmlOptions } from '../report/graph/html.js';
import { formatGraphMermaid } from '../report/graph/mermaid.js';
import { redactDiagnostics } from '../report/redact.js';
import { type ValidateOptions, type ValidateResult, validate } from '../validate.js';
import { debugWriter } from './debug-writer.js';
import { GRAPH_HELP } from './help.js';
import { toolEnv, withInterrupts } from './interrupt.js';
import type { CliIo } from './io.js';
import { writeAtomic } from './write-atomic.js';

const GRAPH_OPTIONS = {
  format: { type: 'string', short: 'f' },
  cluster: { type: 'string' },
  diff: { type: 'boolean' },
  root: { type: 'string' },
  config: { type: 'string', short: 'c' },
  'kustomize-bin': { type: 'string' },
  'no-cache': { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

const FORMATS: Record<string, (graphs: readonly ClusterGraph[], options: GraphHtmlOptions) => string> = {
  mermaid: formatGraphMermaid,
  dot: formatGraphDot,
  html: formatGraphHtml,
};

function parse(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: GRAPH_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')}\nRun 'fluxgate graph --help' for usage.`,
    );
  }
}

/** `--format FORMAT[=FILE]`, as validate takes it: FILE relative to the working directory. */
function formatSpec(spec: string, cwd: string): { format: string; file?: string } {
  const eq = spec.indexOf('=');
  const format = eq < 0 ? spec : spec.slice(0, eq);
  if (!Object.hasOwn(FORMATS, format))
    throw new UsageError(`--format ${format}: expected mermaid, dot or html`);
  if (eq < 0) return { format };
  if (eq === spec.length - 1) throw new UsageError(`--format ${spec}: expected ${format}=FILE`);
  return { format, file: path.resolve(cwd, spec.slice(eq + 1)) };
}

/** Each cluster's graph, with the run's findings (redacted as validate's report is) on their nodes. */
function graphsOf(
  result: ValidateResult,
  secrets: SecretSet,
): { graphs: ClusterGraph[]; repository: NodeFinding[] } {
  const findings = redactDiagnostics(result.diagnostics, secrets);
  return {
    graphs: result.clusters.map((c) => attachFindings(clusterGraph(c), c, result.render.builds, findings)),
    repository: repositoryFindings(findings),
  };
}

/**
 * `fluxgate graph [--diff [BASE]]`: the fleet as Flux sees it, rendered and checked as `validate`
 * does, drawn as Mermaid, DOT or an HTML page, each finding on the node that deploys its object.
 * With --diff, the nodes whose objects differ from BASE (as `fluxgate diff BASE` compares) are marked.
 */
export async function runGraph(io: CliIo, args: readonly string[], secrets: SecretSet): Promise<number> {
  const { values, positionals } = parse(args);
  if (values.help) {
    io.stdout.write(GRAPH_HELP);
    return 0;
  }
  if (positionals.length > 0 && values.diff !== true)
    throw new UsageError(`graph takes no arguments (got ${positionals[0]}); --diff takes BASE`);
  if (positionals.length > 1)
    throw new UsageError("graph --diff takes at most BASE\nRun 'fluxgate graph --help' for usage.");
  const { format, file } = formatSpec(values.format ?? 'mermaid', io.cwd);
  const debug = values.debug ? debugWriter(io, secrets) : undefined;
  const cacheDir = values['no-cache'] === true ? undefined : fluxgateCacheDir(io.env);
  return withInterrupts(async (signal) => {
    const options = (cwd: string): ValidateOptions => ({
      cwd,
      secrets,
      ...(values.config ? { configPath: path.resolve(io.cwd, values.config) } : {}),
      ...(cacheDir ? { cacheDir } : {}),
      ...(debug ? { debug } : {}),
      render: {
        env: toolEnv(io),
        signal,
        ...(values['kustomize-bin'] ? { kustomizeBin: values['kustomize-bin'] } : {}),
      },
    });
    let graphs: ClusterGraph[];
    let repository: NodeFinding[];
    let diff: GraphHtmlOptions['diff'];
    if (values.diff === true) {
      const root = values.root ? path.resolve(io.cwd, values.root) : (findRoot(io.cwd) ?? io.cwd);
      const check = (side: Side): Promise<ValidateResult> => {
        debug?.(`graph --diff: ${side.label} read from ${side.root}`);
        return validate({
          ...options(side.root),
          root: side.root,
          ...(side.snapshot ? { snapshot: side.snapshot } : {}),
          ...(side.origin ? { origin: side.origin } : {}),
        });
      };
      const { base, head, before, after } = await checkSides(
        root,
        { base: positionals[0] },
        { head: check, base: check },
        signal,
      );
      const was = graphsOf(before, secrets);
      const is = graphsOf(after, secrets);
      const findings = {
        base: redactDiagnostics(before.diagnostics, secrets),
        head: redactDiagnostics(after.diagnostics, secrets),
      };
      const changes = compareClusters(before.clusters, after.clusters, findings, { secrets, context: 0 });
      const named = (list: ClusterGraph[], name: string) => list.find((g) => g.name === name);
      graphs = changes.map((c) => markChanges(named(is.graphs, c.name), named(was.graphs, c.name), c));
      repository = is.repository;
      diff = { base: base.label, head: head.label };
    } else {
      ({ graphs, repository } = graphsOf(
        await validate({ ...options(io.cwd), ...(values.root ? { root: values.root } : {}) }),
        secrets,
      ));
    }
    if (values.cluster !== undefined) {
      const all = graphs;
      graphs = graphs.filter((g) => g.name === values.cluster);
      if (graphs.length === 0) {
        const names = all.map((g) => g.name).join(', ') || 'none';
        throw new UsageError(`--cluster ${values.cluster}: no such cluster (clusters: ${names})`);
      }
      repository = [];
    }
    // Names, labels and messages come from rendered objects, which substitution may fill from a
    // Secret: scrubbed in the data (before any escaping) and again in the output.
    const drawn = FORMATS[format]!(scrubStrings(graphs, secrets) as ClusterGraph[], {
      repository: scrubStrings(repository, secrets) as NodeFinding[],
      ...(diff ? { diff } : {}),
    });
    if (file) writeAtomic(file, secrets.scrub(drawn));
    else io.stdout.write(secrets.scrub(drawn));
    return 0;
  }, io.signal);
}
