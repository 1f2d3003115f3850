import { filesBelow, type RepoFiles } from '../git/repo-files.js';
import type { BuildCache } from './build/build-cache.js';
import { BuildAborted, type BuildContext, buildTarget, type TargetBuild } from './build/build-target.js';
import type { PostBuildMemo, PostBuildResult } from './flux/post-build.js';
import { FsProbe } from './kustomization/fs-probe.js';
import { acquireBuildServer, type BuildServer } from './kustomize/build-server.js';
import { Pool } from './kustomize/pool.js';
import type { KustomizeCommand } from './kustomize/select-kustomize.js';
import type { SourceReader } from './source-reader.js';
import type { BuildTarget, SourceRoot } from './types.js';
import { keepTempDir } from './workspace/temp-dirs.js';
import { SourceWorkspace } from './workspace/workspace.js';

export interface RendererOptions {
  reader: SourceReader;
  kustomize: KustomizeCommand;
  /** Builds at once (default: the number of cores). */
  concurrency: number;
  timeoutMs: number;
  remoteBases: boolean;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal | undefined;
  /** Build results of earlier runs, by content hash. */
  cache?: BuildCache | undefined;
  /** Keep the temporary build directories (`--keep-temp`). */
  keepTemp?: boolean;
  /** What a clone of the repository holds (git); undefined: the directory as it is, minus .gitignore. */
  repoFiles?: RepoFiles | undefined;
  debug?: (message: string) => void;
  /** Called as builds finish: how many are done of how many started (for a progress line). */
  progress?: (done: number, total: number) => void;
}

/**
 * Builds targets in a bounded pool, each at most once per run (the same directory with the same
 * Flux fields, reached from several clusters, is built once). One filtered copy per source root.
 */
export class Renderer {
  private readonly pool: Pool;
  private readonly builds = new Map<string, Promise<TargetBuild>>();
  private readonly workspaces = new Map<string, SourceWorkspace>();
  private readonly context: BuildContext;
  private started = 0;
  private disposed = false;
  private done = 0;

  private readonly server: BuildServer | undefined;
  private readonly releaseServer: () => void = () => {};
  /** Post-build results of this run, by key (see postBuildMemo). */
  private readonly postBuilds = new Map<string, PostBuildResult>();

  constructor(private readonly options: RendererOptions) {
    this.pool = new Pool(options.concurrency);
    if (options.kustomize.server) {
      const { server, release } = acquireBuildServer(options.kustomize.server, options.env);
      this.server = server;
      this.releaseServer = release;
    }
    const debug = options.debug ?? (() => {});
    this.context = {
      kustomize: options.kustomize,
      reader: options.reader,
      workspace: (source) => this.workspace(source),
      timeoutMs: options.timeoutMs,
      remoteBases: options.remoteBases,
      env: options.env,
      signal: options.signal,
      cache: options.cache,
      server: this.server,
      fs: new FsProbe(),
      debug,
    };
  }

  get kustomizeVersion(): string {
    return this.options.kustomize.version;
  }

  /** What the normal output says about the kustomize in use, if it is not the one fluxgate ships. */
  get kustomizeNotice(): KustomizeCommand['notice'] {
    return this.options.kustomize.notice;
  }

  build(target: BuildTarget): Promise<TargetBuild> {
    let pending = this.builds.get(target.key);
    if (!pending) {
      this.started++;
      this.options.progress?.(this.done, this.started);
      pending = this.pool
        .run(() => {
          // Queued builds do not start once the run is stopped or over.
          if (this.disposed || this.context.signal?.aborted) throw new BuildAborted('interrupted');
          return buildTarget(target, this.context);
        })
        .finally(() => {
          this.done++;
          this.options.progress?.(this.done, this.started);
        });
      // Callers see the rejection; a build nobody awaits any more (the run stopped) is not an error.
      pending.catch(() => {});
      this.builds.set(target.key, pending);
    }
    return pending;
  }

  /**
   * Where the post-build result of a cached build can be kept: the steps after kustomize depend only
   * on the build's output, the Flux Kustomization and the variables it resolves (see applyPostBuild).
   */
  postBuildMemo(build: TargetBuild): PostBuildMemo | undefined {
    const store = this.options.cache?.postBuild;
    if (!store || build.cacheKey === undefined) return undefined;
    // The walk asks twice per Kustomization (while walking, then with the whole cluster known).
    const seen = this.postBuilds;
    return {
      base: build.cacheKey,
      get: (key) => {
        const known = seen.get(key) ?? (store.get(key) as PostBuildResult | undefined);
        if (known) seen.set(key, known);
        return known && { resources: known.resources.map((r) => ({ ...r })), findings: [...known.findings] };
      },
      set: (key, value) => {
        seen.set(key, value);
        store.set(key, value);
      },
    };
  }

  private workspace(source: SourceRoot): SourceWorkspace {
    const key = `${source.dir}\0${source.ignore ?? ''}`;
    let ws = this.workspaces.get(key);
    if (!ws) {
      const repo = this.options.repoFiles;
      ws = new SourceWorkspace(source.dir, {
        specIgnore: source.ignore,
        // A source mapped outside the repository (config `sources`) is read as it is.
        repo: repo && !source.rel.startsWith('..') ? filesBelow(repo, source.rel) : undefined,
        overrides: this.options.reader.overridesFor(source.rel),
      });
      this.options.debug?.(`workspace ${ws.base} for ${source.id} (${ws.listing.entries.length} entries)`);
      this.workspaces.set(key, ws);
    }
    return ws;
  }

  /** Removes the temporary directories (kept with `keepTemp`, their paths are then in --debug). */
  dispose(): void {
    this.disposed = true;
    this.releaseServer();
    const stats = this.options.cache?.stats;
    if (stats)
      this.options.debug?.(
        `render cache: ${stats.hits} hits, ${stats.misses} misses, ${stats.writes} written`,
      );
    for (const ws of this.workspaces.values()) {
      if (this.options.keepTemp) {
        keepTempDir(ws.base);
        this.options.debug?.(`kept ${ws.base}`);
      } else ws.dispose();
    }
    this.workspaces.clear();
  }
}

export { BuildAborted };
