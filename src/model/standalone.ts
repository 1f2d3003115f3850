import path from 'node:path';
import { isRecord } from '../load/resource.js';
import { parseKustomization } from '../render/kustomization/closure.js';
import { KUSTOMIZATION_FILE_NAMES } from '../render/kustomization/kustomization-file.js';
import { isRemoteRef, kustomizationRefs } from '../render/kustomization/references.js';
import { repoJoin } from '../render/origin/resolve-origin.js';
import type { SourceReader } from '../render/source-reader.js';

/**
 * Kustomization directories to build on their own (plain overlays): those no Flux Kustomization
 * reaches (`reached`: directories and files the clusters' builds read) and no other kustomization
 * includes, so a base is checked through its overlays only, never twice. Components are never
 * built alone.
 */
export function standaloneDirs(
  files: readonly string[],
  reader: SourceReader,
  reached: ReadonlySet<string>,
): string[] {
  const dirs = new Map<string, Record<string, unknown>>();
  for (const file of files) {
    const base = path.posix.basename(file);
    if (!(KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(base)) continue;
    const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
    if (dirs.has(dir)) continue;
    const text = reader.text(file);
    dirs.set(dir, (text === undefined ? undefined : parseKustomization(text)) ?? {});
  }
  const included = new Set<string>();
  for (const [dir, value] of dirs)
    for (const ref of kustomizationRefs(value)) {
      if (ref.kind === 'file' || isRemoteRef(ref.value)) continue;
      const target = repoJoin(dir, ref.value);
      if (target !== undefined && target !== dir) included.add(target);
    }
  return [...dirs.entries()]
    .filter(([dir, value]) => !included.has(dir) && !reached.has(dir) && !isComponent(value))
    .map(([dir]) => dir)
    .sort();
}

function isComponent(value: Record<string, unknown>): boolean {
  return isRecord(value) && value.kind === 'Component';
}
