import path from 'node:path';
import jsYaml from 'js-yaml';
import { forbiddenCharacter } from '../../load/go-yaml-text.js';
import { FAST_SCHEMA } from '../../load/load-file.js';
import { mergeFluxFields } from '../flux/flux-merge.js';
import { parseKustomization } from '../kustomization/closure.js';
import { generateKustomization } from '../kustomization/generate.js';
import { kustomizationFileIn } from '../kustomization/kustomization-file.js';
import type { SourceReader } from '../source-reader.js';
import type { BuildTarget } from '../types.js';
import type { SourceWorkspace } from '../workspace/workspace.js';

export interface PreparedKustomization {
  /** File name written in the target directory. */
  fileName: string;
  /** The user's kustomization file (repo-relative), or undefined when Flux generates one. */
  original?: string;
  /** What kustomize builds. */
  value: Record<string, unknown>;
  /** Pointers of `value` that the Flux Kustomization set → pointer in the Flux Kustomization. */
  fromFlux: Map<string, string>;
  /** Keep kustomize's origin annotations in the output (the build asked for them itself). */
  keepOrigin: boolean;
  /** Flux refuses the spec before building (pointer in the Flux Kustomization). */
  error?: { message: string; pointer: string };
  /** The kustomization file is not a mapping (or not YAML at all): kustomize and Flux fail; why. */
  unreadable?: string;
}

function withOriginAnnotations(value: Record<string, unknown>): Record<string, unknown> {
  const list = Array.isArray(value.buildMetadata) ? value.buildMetadata : [];
  return list.includes('originAnnotations')
    ? value
    : { ...value, buildMetadata: [...list, 'originAnnotations'] };
}

/**
 * The kustomization a target is built from: the directory's own (or Flux's generated one), with the
 * Flux Kustomization's fields merged in, plus `buildMetadata: [originAnnotations]` so every output
 * object names its source file.
 */
export function prepareKustomization(
  target: BuildTarget,
  workspace: SourceWorkspace,
  reader: SourceReader,
): PreparedKustomization {
  const name = kustomizationFileIn(target.path, (file) => workspace.kind(file) === 'file');
  const repoDir = [target.source.rel, target.path].filter((p) => p !== '').join('/');
  const original = name ? (repoDir === '' ? name : `${repoDir}/${name}`) : undefined;
  let base: Record<string, unknown>;
  if (original) {
    const text = reader.text(original);
    const parsed = text === undefined ? undefined : parseKustomization(text);
    if (!parsed)
      return {
        fileName: name!,
        original,
        value: {},
        fromFlux: new Map(),
        keepOrigin: false,
        unreadable: notAKustomization(text),
      };
    base = parsed;
  } else base = generateKustomization(workspace.listing, target.path);
  const fileName = name ?? 'kustomization.yaml';
  if (!target.flux) {
    const keepOrigin = Array.isArray(base.buildMetadata) && base.buildMetadata.includes('originAnnotations');
    return {
      fileName,
      ...(original ? { original } : {}),
      value: withOriginAnnotations(base),
      fromFlux: new Map(),
      keepOrigin,
    };
  }
  const merged = mergeFluxFields(base, target.flux.spec, {
    generated: !original,
    componentExists: (c) => workspace.kind(path.posix.join(target.path, c)) !== undefined,
  });
  const error = merged.error
    ? { message: merged.error, pointer: componentPointer(target.flux.spec, merged.error) }
    : undefined;
  return {
    fileName,
    ...(original ? { original } : {}),
    value: withOriginAnnotations(merged.value),
    fromFlux: merged.fromFlux,
    keepOrigin: merged.userOriginAnnotations,
    ...(error ? { error } : {}),
  };
}

function componentPointer(spec: Record<string, unknown>, message: string): string {
  const list = Array.isArray(spec.components) ? spec.components : [];
  const index = list.findIndex((c) => typeof c === 'string' && message.includes(`'${c}'`));
  return index >= 0 ? `/spec/components/${index}` : '/spec/components';
}

/** Why a kustomization file is not one, in kustomize's words where it has them. */
function notAKustomization(text: string | undefined): string {
  if (text === undefined) return `invalid Kustomization: the file cannot be read`;
  const unreadable = 'invalid Kustomization: the file is not YAML that Flux reads (see yaml/syntax)';
  if (forbiddenCharacter(text) || text.includes('\uFFFD')) return unreadable;
  let value: unknown;
  try {
    value = jsYaml.load(text, { schema: FAST_SCHEMA });
  } catch {
    return unreadable;
  }
  const type = Array.isArray(value)
    ? 'array'
    : typeof value === 'number'
      ? 'number'
      : typeof value === 'boolean'
        ? 'bool'
        : 'string';
  return `invalid Kustomization: json: cannot unmarshal ${type} into Go value of type types.Kustomization (a kustomization is a mapping of fields such as resources:)`;
}
