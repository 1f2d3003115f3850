import { statSync } from 'node:fs';
import path from 'node:path';
import { codeIdentity } from '../../cache/code-identity.js';
import { type CacheStats, ContentStore, contentKey } from '../../cache/store.js';
import type { BuildTarget, RenderedResource, RenderFinding } from '../types.js';
import type { SourceWorkspace } from '../workspace/workspace.js';

/** What a build leaves in the cache: its outcome after kustomize, before anything per cluster. */
export interface CachedBuild {
  status: 'ok' | 'failed';
  resources: RenderedResource[];
  findings: RenderFinding[];
}

export interface BuildCache {
  get(key: string): CachedBuild | undefined;
  set(key: string, value: CachedBuild): void;
  /** The code, the kustomize binary and the build options: the same for every target of a run. */
  salt: string;
  stats?: CacheStats;
  /** Post-build results (per cluster) of cached builds, by `postBuildKey`. */
  postBuild?: { get(key: string): unknown; set(key: string, value: unknown): void };
}

/**
 * The cache key of one build: everything its result depends on. The target (source, path, the
 * Flux fields and where the Flux Kustomization is written), the kustomization as it will be
 * written, and every file and directory the build reads, as they are in the filtered copy of the
 * source (so `.sourceignore`, `spec.ignore` and unsaved buffers count), plus the run's salt.
 * Absolute paths are left out, so the copy `--staged` extracts hits the same entries.
 */
export function buildKey(
  target: BuildTarget,
  kustomization: Record<string, unknown>,
  inputs: readonly string[],
  workspace: SourceWorkspace,
  salt: string,
): string {
  const { dir: _dir, ...source } = target.source;
  const parts = [
    salt,
    JSON.stringify({ key: target.key, source, path: target.path, flux: target.flux ?? null }),
    // JSON, not the YAML written for kustomize: the same content, a quarter of the time.
    JSON.stringify(kustomization),
  ];
  for (const rel of [...new Set(inputs)].sort()) parts.push(`${rel}\0${workspace.digest(rel)}`);
  return contentKey(...parts);
}

/** Source-relative paths of a build's inputs (absolute paths in the real source tree). */
export function sourceRelative(realSource: string, paths: readonly string[]): string[] {
  return paths.map((p) => path.relative(realSource, p).split(path.sep).join('/'));
}

/**
 * The build cache of a run under `dir` (fluxgate's cache directory). The salt names this fluxgate
 * and the kustomize binary by path, size, modification time and version.
 */
export function openBuildCache(
  dir: string,
  kustomize: { file: string; prefix: readonly string[]; version: string; server?: string },
  options: { remoteBases: boolean },
): BuildCache {
  const store = new ContentStore(dir, 'render');
  const stat = statSync(kustomize.file, { throwIfNoEntry: false });
  const salt = contentKey(
    codeIdentity(),
    kustomize.file,
    `${stat?.size ?? 0}:${stat?.mtimeMs ?? 0}`,
    kustomize.version,
    kustomize.prefix.join(' '),
    kustomize.server ?? '',
    String(options.remoteBases),
  );
  const postBuild = new ContentStore(dir, 'post-build');
  return {
    salt,
    stats: store.stats,
    get: (key) => store.get<CachedBuild>(key),
    set: (key, value) => store.set(key, value),
    postBuild: { get: (key) => postBuild.get(key), set: (key, value) => postBuild.set(key, value) },
  };
}
