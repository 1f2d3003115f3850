import { parse } from 'yaml';
import { isRecord } from '../../load/resource.js';

/** kustomize's `buildMetadata: [originAnnotations]` annotation (api/resource/origin.go). */
export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';

export interface RawOrigin {
  /** Relative to the kustomization root being built (or to the remote repo's root). */
  path?: string;
  repo?: string;
  ref?: string;
  /** For generated objects: the kustomization file that configured the generator. */
  configuredIn?: string;
  configuredBy?: { apiVersion?: string; kind?: string; name?: string; namespace?: string };
}

export function parseOrigin(text: string): RawOrigin | undefined {
  try {
    const value = parse(text) as unknown;
    if (!isRecord(value)) return undefined;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const by = isRecord(value.configuredBy) ? value.configuredBy : undefined;
    const origin: RawOrigin = {};
    for (const key of ['path', 'repo', 'ref', 'configuredIn'] as const) {
      const v = str(value[key]);
      if (v !== undefined) origin[key] = v;
    }
    if (by)
      origin.configuredBy = Object.fromEntries(
        Object.entries(by).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
    return origin;
  } catch {
    return undefined;
  }
}

/**
 * Reads and removes the origin annotation (unless the user's build asked for it: then Flux's output
 * has it too). An annotations map left empty is removed, as kustomize only added it for the origin.
 */
export function takeOrigin(object: Record<string, unknown>, keep: boolean): RawOrigin | undefined {
  const metadata = object.metadata;
  if (!isRecord(metadata) || !isRecord(metadata.annotations)) return undefined;
  const annotations = metadata.annotations;
  const text = annotations[ORIGIN_ANNOTATION];
  if (typeof text !== 'string') return undefined;
  if (!keep) {
    delete annotations[ORIGIN_ANNOTATION];
    if (Object.keys(annotations).length === 0) delete metadata.annotations;
  }
  return parseOrigin(text);
}
