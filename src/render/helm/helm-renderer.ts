import { existsSync, statSync } from 'node:fs';
import { codeIdentity } from '../../cache/code-identity.js';
import { ContentStore, contentKey } from '../../cache/store.js';
import { fluxgateVersion, packageFile } from '../../core/package-files.js';
import { locateLocalTool } from '../../tools/locate-tool.js';
import { findBundledTool } from '../../tools/platform-package.js';
import { Pool } from '../kustomize/pool.js';
import { type CachedChart, ChartCache, type ChartRef, withoutUser } from './chart-cache.js';
import type { HelmPullResult, HelmRenderRequest, HelmRenderResult } from './helm-protocol.js';
import { HelmServer } from './helm-server.js';

export interface HelmRendererOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** fluxgate's cache directory: rendered releases are kept by content (undefined: not kept). */
  cacheDir?: string | undefined;
  /** The chart cache (`<cache>/charts`), read even with --no-cache: charts are inputs, not results. */
  chartCacheDir?: string | undefined;
  /** `network.charts`: charts missing from the cache are downloaded. */
  network: boolean;
  /** `fluxgate charts pull`: version constraints are resolved again, not read from the cache. */
  refresh?: boolean;
  concurrency: number;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  debug?: (message: string) => void;
}

/** Why a chart is not there. */
export interface ChartMissing {
  error: string;
}

/**
 * Renders HelmReleases with tools/helm-server (the Helm SDK of helm-controller), at most
 * `concurrency` at once, each result kept in the cache by a content key of the whole request and
 * the chart's digest: a warm run renders no chart again. Charts that are not in the repository
 * come from the chart cache, and from the network only with `network.charts`.
 */
export class HelmRenderer {
  readonly file: string | undefined;
  /** Why there is no helm-server, and how to get one (undefined: there is one). */
  readonly missing: string | undefined;
  private readonly server: HelmServer | undefined;
  private readonly pool: Pool;
  private readonly store: ContentStore | undefined;
  readonly charts: ChartCache | undefined;
  private readonly salt: string;
  private readonly pulls = new Map<string, Promise<CachedChart | ChartMissing>>();
  readonly stats = { rendered: 0, cached: 0, pulled: 0 };

  constructor(private readonly options: HelmRendererOptions) {
    const found = helmServerPath(options.env);
    this.file = 'path' in found ? found.path : undefined;
    this.missing = 'why' in found ? found.why : undefined;
    this.server = this.file ? new HelmServer(this.file, options.env) : undefined;
    this.pool = new Pool(Math.max(1, options.concurrency));
    this.store = options.cacheDir ? new ContentStore(options.cacheDir, 'helm') : undefined;
    this.charts = options.chartCacheDir ? new ChartCache(options.chartCacheDir) : undefined;
    const stat = this.file ? statSync(this.file, { throwIfNoEntry: false }) : undefined;
    this.salt = contentKey(codeIdentity(), this.file ?? '', `${stat?.size ?? 0}:${stat?.mtimeMs ?? 0}`);
  }

  get installed(): boolean {
    return this.server !== undefined;
  }

  get network(): boolean {
    return this.options.network;
  }

  /**
   * One release. `inputs` names everything the request reads from disk by content (the chart's
   * digest, its local dependencies, values files), so absolute paths stay out of the key.
   */
  async render(request: HelmRenderRequest, inputs: string): Promise<HelmRenderResult> {
    const { chart: _c, sourceRoot: _s, dependencies: _d, ...rest } = request;
    const key = contentKey('helm-render', this.salt, inputs, JSON.stringify(rest));
    const known = this.store?.get<HelmRenderResult>(key);
    if (known) {
      this.stats.cached++;
      return known;
    }
    const server = this.server;
    if (!server) return { error: 'helm-server is not installed', stage: 'server' };
    const answer = (await this.pool.run(() =>
      server.ask(
        { op: 'render', ...request },
        { timeoutMs: this.options.timeoutMs, signal: this.options.signal },
      ),
    )) as HelmRenderResult & { id?: number; aborted?: boolean };
    if (answer.aborted) throw new Error('interrupted');
    const { id: _id, ...result } = answer;
    this.stats.rendered++;
    // A failure of the process itself (a timeout) is not an answer about the release.
    if (result.stage !== 'server') this.store?.set(key, result);
    return result;
  }

  /** A chart of a chart repository from the cache, without the network. */
  cached(ref: ChartRef): CachedChart | undefined {
    return this.charts?.get(ref);
  }

  /**
   * A chart of a chart repository: from the cache, else (with `network.charts`) downloaded into it,
   * once per run. Errors never carry credentials (helm-server removes them from URLs).
   */
  pull(ref: ChartRef): Promise<CachedChart | ChartMissing> {
    const known = this.options.refresh ? undefined : this.cached(ref);
    if (known) return Promise.resolve(known);
    const key = JSON.stringify(ref);
    let pending = this.pulls.get(key);
    if (!pending) {
      pending = this.download(ref);
      this.pulls.set(key, pending);
    }
    return pending;
  }

  private async download(ref: ChartRef): Promise<CachedChart | ChartMissing> {
    const server = this.server;
    const charts = this.charts;
    if (!server) return { error: 'helm-server is not installed' };
    if (!charts) return { error: 'there is no cache directory to download charts into' };
    this.options.debug?.(
      `helm: pulling ${ref.chart || '(chart)'} ${ref.version} from ${withoutUser(ref.repository)}`,
    );
    const answer = (await this.pool.run(() =>
      server.ask(
        {
          op: 'pull',
          repository: ref.repository,
          chart: ref.chart,
          version: ref.version,
          ...(ref.digest ? { digest: ref.digest } : {}),
          ...(ref.insecure ? { insecure: true } : {}),
          cacheDir: charts.dir,
          timeoutSeconds: Math.max(1, Math.round(this.options.timeoutMs / 1000)),
        },
        { timeoutMs: this.options.timeoutMs + 5000, signal: this.options.signal },
      ),
    )) as HelmPullResult & { aborted?: boolean };
    if (answer.aborted) throw new Error('interrupted');
    if (answer.error || !answer.file || !answer.digest || !answer.version)
      return { error: withoutUser(answer.error ?? 'no chart') };
    const chart = { file: answer.file, version: answer.version, digest: answer.digest };
    charts.set(ref, chart);
    this.stats.pulled++;
    return chart;
  }

  dispose(): void {
    this.server?.close();
    this.options.debug?.(
      `helm: ${this.stats.rendered} releases rendered, ${this.stats.cached} from the cache, ${this.stats.pulled} charts pulled`,
    );
  }
}

/**
 * The helm-server to run: `FLUXGATE_HELM_SERVER`, else the tools cache's build of tools/helm-server
 * (a clone, `npm run tools`), else the platform package's (an npm install). Else why there is none,
 * said the way a user can act on it (most users install fluxgate with npm and have no Go).
 */
export function helmServerPath(
  env: Readonly<Record<string, string | undefined>>,
): { path: string } | { why: string } {
  const named = env.FLUXGATE_HELM_SERVER;
  if (named)
    return existsSync(named)
      ? { path: named }
      : { why: `FLUXGATE_HELM_SERVER names ${named}, which does not exist` };
  const local = locateLocalTool('helm-server', env);
  if (local?.installed) return { path: local.path };
  const bundled = findBundledTool('helm-server', packageFile(''), fluxgateVersion());
  if ('found' in bundled) return { path: bundled.found.path };
  const clone = existsSync(packageFile('scripts/install-tools.sh'))
    ? '; in a clone of fluxgate, `npm run tools`'
    : '';
  const why =
    bundled.reason === 'unsupported'
      ? `fluxgate ships no helm-server for ${process.platform}-${process.arch}`
      : bundled.reason === 'version-mismatch'
        ? `${bundled.missing} is not at fluxgate's version ${fluxgateVersion()}`
        : bundled.reason === 'no-binary'
          ? `${bundled.missing} holds no helm-server`
          : `${bundled.missing} is not installed`;
  const hint =
    bundled.reason === 'unsupported'
      ? ''
      : ` (\`npm i -D ${bundled.missing}@${fluxgateVersion()}\`, or install fluxgate without --omit=optional)`;
  return { why: `${why}${hint}${clone}` };
}

export function isMissing(chart: CachedChart | ChartMissing): chart is ChartMissing {
  return 'error' in chart;
}
