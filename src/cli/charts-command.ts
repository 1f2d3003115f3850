import { type ParseArgsConfig, parseArgs } from 'node:util';
import { fluxgateCacheDir } from '../cache/cache-dir.js';
import { UsageError } from '../core/errors.js';
import { renderProject } from '../model/render-project.js';
import { CHARTS_HELP } from './help.js';
import { toolEnv, withInterrupts } from './interrupt.js';
import type { CliIo } from './io.js';

const CHARTS_OPTIONS = {
  root: { type: 'string' },
  config: { type: 'string', short: 'c' },
  'kustomize-bin': { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/**
 * `fluxgate charts pull`: renders every cluster with chart downloads on (whatever
 * network.charts says), so the chart cache holds every chart the HelmReleases need; later runs
 * are offline. Exit 0 when every chart is there, 1 when some could not be downloaded.
 */
export async function runCharts(io: CliIo, args: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof CHARTS_OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...args], options: CHARTS_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun 'fluxgate charts --help' for usage.`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(CHARTS_HELP);
    return 0;
  }
  if (positionals[0] !== 'pull' || positionals.length > 1)
    throw new UsageError(
      `${positionals[0] === undefined ? 'charts needs an action' : `unknown charts action "${positionals.join(' ')}"`}: expected pull`,
    );
  const cacheDir = fluxgateCacheDir(io.env);
  if (!cacheDir) throw new UsageError('no cache directory: set FLUXGATE_CACHE_DIR, XDG_CACHE_HOME or HOME');
  const debug = values.debug ? (m: string) => io.stderr.write(`[debug] ${m}\n`) : undefined;
  return withInterrupts(async (signal) => {
    const { render } = await renderProject({
      cwd: io.cwd,
      root: values.root,
      configPath: values.config,
      env: toolEnv(io),
      kustomizeBin: values['kustomize-bin'],
      cacheDir,
      pullCharts: true,
      signal,
      ...(debug ? { debug } : {}),
    });
    let rendered = 0;
    let missing = 0;
    for (const cluster of render.clusters)
      for (const h of cluster.helmReleases ?? []) {
        if (h.status === 'rendered') {
          rendered++;
          continue;
        }
        if (h.status === 'not-available') missing++;
        io.stderr.write(
          `cluster ${cluster.name}: HelmRelease ${h.namespace}/${h.name}: ${h.reason ?? h.status}\n`,
        );
      }
    io.stdout.write(
      `${rendered} HelmRelease${rendered === 1 ? '' : 's'} rendered${missing > 0 ? `, ${missing} with a chart not available` : ''}; charts are in ${cacheDir}/charts\n`,
    );
    return missing > 0 ? 1 : 0;
  });
}
