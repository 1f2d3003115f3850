import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { parse } from 'yaml';
import { isRecord } from '../../load/resource.js';

/**
 * A FluxInstance's `kustomize.patches` customize the Flux controllers and the sync objects the
 * operator creates (Flux Operator docs, "Flux instance customization"): a patch whose target is
 * the sync Kustomization (`kind: Kustomization`, `name: flux-system`) sets fields of the root
 * Kustomization, such as `decryption` or `postBuild`. Each patch is kustomize's: a JSON6902 list
 * of operations, or a strategic merge patch (for a custom resource, a JSON merge patch: lists are
 * replaced, null deletes).
 */
export function applySyncPatches(
  object: Record<string, unknown>,
  patches: readonly unknown[],
): Record<string, unknown> {
  let out = structuredClone(object);
  for (const entry of patches) {
    if (!isRecord(entry) || typeof entry.patch !== 'string') continue;
    if (!targets(entry.target, out)) continue;
    let patch: unknown;
    try {
      patch = parse(entry.patch);
    } catch {
      continue;
    }
    if (Array.isArray(patch)) {
      try {
        out = fastJsonPatch.applyPatch(out, patch as Operation[], false, false).newDocument;
      } catch {
        // A patch that does not apply fails the operator's build; the sync stays as it was here.
      }
    } else if (isRecord(patch)) {
      const metadata = isRecord(patch.metadata) ? patch.metadata : {};
      // Without a target, a strategic merge patch names its object itself.
      if (entry.target === undefined && (patch.kind !== out.kind || metadata.name !== nameOf(out))) continue;
      out = mergePatch(out, {
        ...patch,
        metadata: undefined,
        apiVersion: undefined,
        kind: undefined,
      }) as Record<string, unknown>;
    }
  }
  return out;
}

function nameOf(object: Record<string, unknown>): unknown {
  return isRecord(object.metadata) ? object.metadata.name : undefined;
}

/** kustomize's patch target: each given field must match; `name` and `namespace` are anchored regexps. */
function targets(target: unknown, object: Record<string, unknown>): boolean {
  if (target === undefined) return true;
  if (!isRecord(target)) return false;
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const [group, version] = String(object.apiVersion).split('/');
  const regex = (pattern: unknown, value: unknown) => {
    if (typeof pattern !== 'string') return true;
    try {
      return new RegExp(`^(?:${pattern})$`).test(String(value ?? ''));
    } catch {
      return false;
    }
  };
  if (target.labelSelector !== undefined || target.annotationSelector !== undefined) return false;
  return (
    (target.kind === undefined || target.kind === object.kind) &&
    (target.group === undefined || target.group === group) &&
    (target.version === undefined || target.version === version) &&
    regex(target.name, metadata.name) &&
    regex(target.namespace, metadata.namespace)
  );
}

/** RFC 7396 JSON merge patch (undefined keys are skipped). */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  const out: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}
