import { type ParseArgsConfig, parseArgs } from 'node:util';
import { fluxgateCacheDir } from '../cache/cache-dir.js';
import { UsageError } from '../core/errors.js';
import type { SecretSet } from '../core/secret-set.js';
import type { SourceFile } from '../load/resource.js';
import { projectStageOptions } from '../model/render-project.js';
import { runRenderStage } from '../model/render-stage.js';
import { type ClusterSources, type KindSource, schemaSources } from '../pipeline/schema-sources.js';
import { Catalog } from '../schema/catalog/catalog-index.js';
import { debugWriter } from './debug-writer.js';
import { SCHEMAS_HELP } from './help.js';
import { toolEnv, withInterrupts } from './interrupt.js';
import type { CliIo } from './io.js';

const OPTIONS = {
  cluster: { type: 'string' },
  format: { type: 'string', short: 'f' },
  root: { type: 'string' },
  config: { type: 'string', short: 'c' },
  'kustomize-bin': { type: 'string' },
  'no-cache': { type: 'boolean' },
  offline: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

function parse(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')}\nRun 'fluxgate schemas --help' for usage.`,
    );
  }
}

function describe(k: KindSource): string {
  if (k.source === 'none')
    return k.fork
      ? `none (the catalog has ${k.fork.project}'s, but the cluster installs the fork ${k.fork.fork}: ${k.fork.from})`
      : 'none: add its CRD to the repository or a schemaLocations entry';
  if (k.source === 'catalog' && k.catalog) {
    const { project, version, licence, installed } = k.catalog;
    const why = installed?.version
      ? `installs ${installed.version}: ${installed.from}`
      : 'newest; release not stated';
    return `catalog ${project} ${version} (${licence}; ${why})`;
  }
  return `${k.source} ${k.origin ?? ''}`.trim();
}

function text(clusters: readonly ClusterSources[]): string {
  const lines: string[] = [];
  for (const c of clusters) {
    lines.push(c.cluster ? `cluster ${c.cluster}` : 'outside clusters');
    const width = Math.max(0, ...c.kinds.map((k) => `${k.apiVersion} ${k.kind}`.length));
    for (const k of c.kinds)
      lines.push(
        `  ${`${k.apiVersion} ${k.kind}`.padEnd(width)}  ${String(k.objects).padStart(4)}  ${describe(k)}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

/** `fluxgate schemas catalog`: the projects, releases and licences of the bundled catalog. */
function catalogText(): string {
  const lines = ['project                 releases               licence     kinds  module'];
  for (const p of new Catalog().projects) {
    const kinds = new Set(p.releases.flatMap((r) => r.kinds)).size;
    lines.push(
      `${p.project.padEnd(24)}${p.releases
        .map((r) => r.version)
        .join(', ')
        .padEnd(23)}${p.licence.padEnd(12)}${String(kinds).padStart(5)}  ${p.module}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `fluxgate schemas list`: for each cluster, every kind of its rendered objects and where its
 * schema comes from (repository CRD, chart CRD, bundled Kubernetes/Flux, the catalog with the
 * release chosen and why, a schema location, or none). `fluxgate schemas catalog`: the catalog.
 */
export async function runSchemas(io: CliIo, args: readonly string[], secrets: SecretSet): Promise<number> {
  const { values, positionals } = parse(args);
  if (values.help) {
    io.stdout.write(SCHEMAS_HELP);
    return 0;
  }
  const [sub, ...rest] = positionals;
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format ${format}: text or json`);
  if (sub === 'catalog' && rest.length === 0) {
    io.stdout.write(
      format === 'json'
        ? `${JSON.stringify({ projects: new Catalog().projects }, null, 2)}\n`
        : catalogText(),
    );
    return 0;
  }
  if (sub !== 'list' || rest.length > 0)
    throw new UsageError("schemas takes 'list' or 'catalog'\nRun 'fluxgate schemas --help' for usage.");
  const debug = values.debug ? debugWriter(io, secrets) : undefined;
  return withInterrupts(async (signal) => {
    const stage = await projectStageOptions({
      cwd: io.cwd,
      root: values.root,
      configPath: values.config,
      env: toolEnv(io),
      kustomizeBin: values['kustomize-bin'],
      cacheDir: values['no-cache'] === true ? undefined : fluxgateCacheDir(io.env),
      signal,
      ...(debug ? { debug } : {}),
    });
    const render = await runRenderStage(stage);
    const loaded = new Map<string, SourceFile>();
    for (const file of stage.files) {
      const source = render.reader.get(file);
      if (source) loaded.set(file, source);
    }
    let clusters = await schemaSources({
      root: stage.root,
      config: stage.config,
      render,
      loaded,
      ...(values.offline ? { offline: true } : {}),
      ...(debug ? { debug } : {}),
    });
    if (values.cluster !== undefined) {
      clusters = clusters.filter((c) => c.cluster === values.cluster);
      if (clusters.length === 0) throw new UsageError(`no cluster ${values.cluster}`);
    }
    io.stdout.write(
      secrets.scrub(format === 'json' ? `${JSON.stringify({ clusters }, null, 2)}\n` : text(clusters)),
    );
    return 0;
  });
}
