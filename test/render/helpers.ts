import { realpathSync } from 'node:fs';
import { parse } from 'yaml';
import { defaultConfig } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { discoverFiles } from '../../src/discover/discover.js';
import { runRenderStage } from '../../src/model/render-stage.js';
import type { TargetBuild } from '../../src/render/build/build-target.js';
import { type KustomizeCommand, selectKustomize } from '../../src/render/kustomize/select-kustomize.js';
import { Renderer } from '../../src/render/renderer.js';
import { SourceReader } from '../../src/render/source-reader.js';
import type { BuildTarget } from '../../src/render/types.js';

let kustomize: Promise<KustomizeCommand> | undefined;

/** The kustomize the tests use: the same selection as the CLI (pinned cache, PATH, kubectl). */
export function testKustomize(): Promise<KustomizeCommand> {
  kustomize ??= selectKustomize({ env: process.env, cwd: process.cwd() });
  return kustomize;
}

/** Builds one target of a repository with the real kustomize (a Flux Kustomization spec, or plain). */
export async function buildOne(
  root: string,
  dir: string,
  flux?: { spec: Record<string, unknown>; namespace?: string; name?: string },
  options: { remoteBases?: boolean } = {},
): Promise<TargetBuild> {
  const reader = new SourceReader(realpathSync(root), new Map());
  const renderer = new Renderer({
    reader,
    kustomize: await testKustomize(),
    concurrency: 2,
    timeoutMs: 60_000,
    remoteBases: options.remoteBases ?? false,
    env: process.env,
  });
  const target: BuildTarget = {
    key: `test:${dir}`,
    source: { id: 'repo', dir: realpathSync(root), rel: '' },
    path: dir,
    ...(flux
      ? { flux: { namespace: flux.namespace ?? 'flux-system', name: flux.name ?? 'test', spec: flux.spec } }
      : {}),
  };
  try {
    return await renderer.build(target);
  } finally {
    renderer.dispose();
  }
}

/** Renders a whole repository as `fluxgate validate` does. */
export async function renderRepo(root: string) {
  const real = realpathSync(root);
  let config = defaultConfig();
  let configFile: string | undefined;
  try {
    ({ config, file: configFile } = loadConfig(real));
  } catch {
    // defaults
  }
  const files = await discoverFiles({ root: real, exclude: config.exclude });
  return runRenderStage({
    root: real,
    cwd: real,
    config,
    configFile,
    files,
    loaded: new Map(),
    env: process.env,
  });
}

/** The rendered objects of a build by `Kind/name`. */
export function byName(build: {
  resources: { value: Record<string, unknown> }[];
}): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const { value } of build.resources) {
    const metadata = value.metadata as { name: string };
    out.set(`${String(value.kind)}/${metadata.name}`, value);
  }
  return out;
}

export const yaml = (text: string): Record<string, unknown> => parse(text) as Record<string, unknown>;
