import { realpathSync } from 'node:fs';
import path from 'node:path';
import { toRepoPath } from '../../core/paths.js';
import type { BuildTarget, DocLocation } from '../types.js';
import type { PreparedKustomization } from './prepare-kustomization.js';

export interface Place extends DocLocation {
  pointer: string;
  /** The place is the Flux Kustomization at this pointer: each cluster puts it at its own copy. */
  fluxPointer?: string;
}

function real(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * Where findings about a build's kustomization entries go: the user's files, except for what the
 * Flux Kustomization put into the merged kustomization (its own line) and for Flux's generated
 * kustomization (the Flux Kustomization's `spec.path`).
 */
export class TargetPlaces {
  readonly realRoot: string;
  readonly realSource: string;
  /** Absolute (real) path of the target's kustomization file in the source tree. */
  readonly targetFile: string;

  constructor(
    root: string,
    private readonly target: BuildTarget,
    private readonly prepared: PreparedKustomization,
  ) {
    this.realRoot = real(root);
    this.realSource = real(target.source.dir);
    this.targetFile = path.join(real(path.join(target.source.dir, target.path)), prepared.fileName);
  }

  repoPath(absolute: string): string {
    return toRepoPath(this.realRoot, absolute);
  }

  /** The Flux Kustomization at a pointer, or the kustomization's first line. */
  flux(pointer: string): Place {
    const location = this.target.flux?.location;
    if (location) return { ...location, pointer, fluxPointer: pointer };
    return { ...this.kustomization(''), fluxPointer: pointer };
  }

  kustomization(pointer: string): Place {
    if (this.prepared.original) return { file: this.prepared.original, docIndex: 0, pointer };
    return this.target.flux?.location ? this.flux('/spec/path') : this.fallback();
  }

  private fallback(): Place {
    const dir = [this.target.source.rel, this.target.path].filter((p) => p !== '').join('/');
    return { file: dir === '' ? '.' : dir, docIndex: 0, pointer: '' };
  }

  /** An entry of a kustomization file of the build (absolute path of the file in the source tree). */
  entry(file: string, pointer: string): Place {
    if (file !== this.targetFile) return { file: this.repoPath(file), docIndex: 0, pointer };
    if (!this.prepared.original) return this.kustomization(pointer);
    for (const [merged, spec] of this.prepared.fromFlux)
      if (pointer === merged || pointer.startsWith(`${merged}/`))
        return this.flux(spec + pointer.slice(merged.length));
    return this.kustomization(pointer);
  }

  /** A path in the build copy (`<base>/src/<rel>` or `<base>/t<N>/<rel>`) → the source tree. */
  toSource(workspaceBase: string, absolute: string): string {
    const rel = path.relative(workspaceBase, absolute);
    const parts = rel.split(path.sep);
    if (rel.startsWith('..') || parts.length === 0 || !/^(src|t\d+)$/.test(parts[0]!)) return absolute;
    return path.join(this.realSource, ...parts.slice(1));
  }
}
