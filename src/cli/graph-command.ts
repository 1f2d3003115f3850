import { type ParseArgsConfig, parseArgs } from 'node:util';
import { fluxgateCacheDir } from '../cache/cache-dir.js';
import { UsageError } from '../core/errors.js';
import type { SecretSet } from '../core/secret-set.js';
import { clusterGraph } from '../graph/fleet-graph.js';
import { renderProject } from '../model/render-project.js';
import { addRenderSecrets } from '../pipeline/run-secrets.js';
import { formatGraphDot } from '../report/graph/dot.js';
import { formatGraphMermaid } from '../report/graph/mermaid.js';
import { debugWriter } from './debug-writer.js';
import { GRAPH_HELP } from './help.js';
import { toolEnv, withInterrupts } from './interrupt.js';
import type { CliIo } from './io.js';

const GRAPH_OPTIONS = {
  format: { type: 'string', short: 'f' },
  cluster: { type: 'string' },
  root: { type: 'string' },
  config: { type: 'string', short: 'c' },
  'kustomize-bin': { type: 'string' },
  'no-cache': { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

const FORMATS = { mermaid: formatGraphMermaid, dot: formatGraphDot };

function parse(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: GRAPH_OPTIONS, allowPositionals: false, strict: true });
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')}\nRun 'fluxgate graph --help' for usage.`,
    );
  }
}

/** `fluxgate graph`: the fleet as Flux sees it, rendered as `build` renders it, drawn as Mermaid or DOT. */
export async function runGraph(io: CliIo, args: readonly string[], secrets: SecretSet): Promise<number> {
  const { values } = parse(args);
  if (values.help) {
    io.stdout.write(GRAPH_HELP);
    return 0;
  }
  const format = values.format ?? 'mermaid';
  if (!Object.hasOwn(FORMATS, format)) throw new UsageError(`--format ${format}: expected mermaid or dot`);
  const debug = values.debug ? debugWriter(io, secrets) : undefined;
  return withInterrupts(async (signal) => {
    const { root, render } = await renderProject({
      cwd: io.cwd,
      root: values.root,
      configPath: values.config,
      env: toolEnv(io),
      kustomizeBin: values['kustomize-bin'],
      cacheDir: values['no-cache'] === true ? undefined : fluxgateCacheDir(io.env),
      signal,
      ...(debug ? { debug } : {}),
    });
    // Names and labels come from rendered objects, which substitution may fill from a Secret.
    addRenderSecrets(secrets, root, render);
    let clusters = render.clusters;
    if (values.cluster !== undefined) {
      clusters = clusters.filter((c) => c.name === values.cluster);
      if (clusters.length === 0) {
        const names = render.clusters.map((c) => c.name).join(', ') || 'none';
        throw new UsageError(`--cluster ${values.cluster}: no such cluster (clusters: ${names})`);
      }
    }
    const drawn = FORMATS[format as keyof typeof FORMATS](clusters.map(clusterGraph));
    io.stdout.write(secrets.scrub(drawn));
    return 0;
  }, io.signal);
}
