import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { findRoot } from '../config/find-root.js';
import { loadConfig } from '../config/load-config.js';
import { UsageError } from '../core/errors.js';
import { discoverFiles } from '../discover/discover.js';
import { repoFiles } from '../git/repo-files.js';
import { type RenderStage, type RenderStageOptions, runRenderStage } from './render-stage.js';

export interface ProjectOptions {
  cwd: string;
  root?: string | undefined;
  configPath?: string | undefined;
  env: RenderStageOptions['env'];
  kustomizeBin?: string | undefined;
  keepTemp?: boolean | undefined;
  /** fluxgate's cache directory (builds reused by content hash); undefined: no cache. */
  cacheDir?: string | undefined;
  signal?: AbortSignal | undefined;
  debug?: (message: string) => void;
  /** Render HelmReleases (default true). */
  helmReleases?: boolean;
  /** Download every chart (`fluxgate charts pull`). */
  pullCharts?: boolean;
}

/** The render stage's options for a repository (root, config, discovered files), without loading it. */
export async function projectStageOptions(
  options: ProjectOptions,
  start?: string,
): Promise<RenderStageOptions> {
  const root = options.root
    ? path.resolve(options.cwd, options.root)
    : (findRoot(start ?? options.cwd) ?? options.cwd);
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new UsageError(`--root ${root}: not a directory`);
  const { config, file } = loadConfig(
    root,
    options.configPath && path.resolve(options.cwd, options.configPath),
  );
  const repo = await repoFiles(root, 'worktree');
  const files = await discoverFiles({ root, exclude: config.exclude, repo });
  return {
    root,
    cwd: options.cwd,
    config,
    configFile: file,
    files,
    loaded: new Map(),
    repoFiles: repo,
    env: options.env,
    kustomizeBin: options.kustomizeBin,
    keepTemp: options.keepTemp,
    cacheDir: options.cacheDir,
    signal: options.signal,
    ...(options.helmReleases === false ? { helmReleases: false } : {}),
    ...(options.pullCharts ? { pullCharts: true } : {}),
    ...(options.debug ? { debug: options.debug } : {}),
  };
}

/** Renders a whole repository without checking it (`fluxgate build`): the same render the checks see. */
export async function renderProject(
  options: ProjectOptions,
): Promise<{ root: string; config: Config; render: RenderStage }> {
  const stage = await projectStageOptions(options);
  return { root: stage.root, config: stage.config, render: await runRenderStage(stage) };
}
