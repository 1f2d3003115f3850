// After the kustomize build, per cluster: kustomize-controller v1.9.4 build() substitutes variables
// in every object (fluxcd/pkg kustomize SubstituteVariables, via ../varsub), then apply() sets
// commonMetadata (fluxcd/pkg ssa/utils SetCommonMetadata) on the substituted objects.
import { contentKey } from '../../cache/store.js';
import { formatResourceId, isRecord, resourceIdOf } from '../../load/resource.js';
import type { MapInfo } from '../build/closure-findings.js';
import { mapToSource } from '../origin/map-to-source.js';
import type { SourceReader } from '../source-reader.js';
import type { FluxTarget, RenderedResource, RenderFinding } from '../types.js';
import {
  type PostBuild,
  postBuildResource,
  resolveVariables,
  type SourceLookup,
  substituteResource,
} from '../varsub/index.js';

export interface PostBuildOptions {
  flux: FluxTarget;
  /** StrictPostBuildSubstitutions: on by default since Flux 2.9. */
  strict: boolean;
  /** ConfigMaps and Secrets of the cluster, in the Flux Kustomization's namespace. */
  lookup: SourceLookup;
  reader: SourceReader;
  map: MapInfo;
  /** Results of earlier runs for the same build output (see PostBuildMemo). */
  memo?: PostBuildMemo | undefined;
}

/**
 * A cache of post-build results for one build output (`base`: its content hash). The result
 * depends on that output, the Flux Kustomization (spec and where it is written), strict mode and
 * the variables resolved for it; findings are placed through the build's own files, which its
 * hash covers.
 */
export interface PostBuildMemo {
  base: string;
  get(key: string): PostBuildResult | undefined;
  set(key: string, value: PostBuildResult): void;
}

export interface PostBuildResult {
  resources: RenderedResource[];
  findings: RenderFinding[];
}

function setCommonMetadata(object: Record<string, unknown>, spec: Record<string, unknown>): void {
  const common = isRecord(spec.commonMetadata) ? spec.commonMetadata : undefined;
  if (!common) return;
  if (!isRecord(object.metadata)) object.metadata = {};
  const metadata = object.metadata as Record<string, unknown>;
  for (const field of ['labels', 'annotations'] as const) {
    const add = isRecord(common[field]) ? common[field] : {};
    if (Object.keys(add).length === 0) continue;
    metadata[field] = { ...(isRecord(metadata[field]) ? metadata[field] : {}), ...add };
  }
}

function refIndex(postBuild: PostBuild, kind: string, name: string): number {
  return (postBuild.substituteFrom ?? []).findIndex((r) => r.kind === kind && r.name === name);
}

export function applyPostBuild(
  resources: readonly RenderedResource[],
  options: PostBuildOptions,
): PostBuildResult {
  const { flux } = options;
  const postBuild = isRecord(flux.spec.postBuild) ? (flux.spec.postBuild as PostBuild) : undefined;
  const resolved = postBuild ? resolveVariables(postBuild, options.lookup) : undefined;
  const memo = options.memo;
  const key =
    memo &&
    contentKey(
      'post-build',
      memo.base,
      JSON.stringify({ flux, strict: options.strict, resolved: resolved ?? null }),
    );
  const known = key === undefined ? undefined : memo?.get(key);
  if (known) return known;
  const result = substituteAll(resources, options, postBuild, resolved);
  if (key !== undefined) memo?.set(key, result);
  return result;
}

function substituteAll(
  resources: readonly RenderedResource[],
  options: PostBuildOptions,
  postBuild: PostBuild | undefined,
  resolved: ReturnType<typeof resolveVariables> | undefined,
): PostBuildResult {
  const { flux } = options;
  const spec = flux.spec;
  const findings: RenderFinding[] = [];
  const at = (pointer: string) =>
    flux.location ? { ...flux.location, pointer } : { file: options.map.dir, docIndex: 0, pointer: '' };
  // Sources whose values fluxgate cannot see: their variables are unknown, never "undefined".
  const unknownKeys = new Set<string>();
  let allUnknown = false;
  for (const source of resolved?.unknownSources ?? []) {
    for (const key of source.keys) unknownKeys.add(key);
    if (source.keys.length === 0) allUnknown = true;
    findings.push({
      ...at(`/spec/postBuild/substituteFrom/${refIndex(postBuild!, source.kind, source.name)}`),
      ruleId: 'render/unknown-values',
      severity: 'info',
      message: `${source.kind} ${flux.namespace}/${source.name} is ${source.reason}: the variables it defines are unknown, and values that use them are not checked`,
      source: 'render',
      perCluster: true,
    });
  }
  for (const missing of resolved?.missing ?? []) {
    if (missing.optional) continue;
    // Not in the repository: Secrets usually come from outside Git (info here); a missing ConfigMap
    // is refs/substitute-from-not-found's to report. Either way its variables are unknown.
    allUnknown = true;
    if (missing.kind === 'Secret')
      findings.push({
        ...at(`/spec/postBuild/substituteFrom/${refIndex(postBuild!, missing.kind, missing.name)}`),
        ruleId: 'render/unknown-values',
        severity: 'info',
        message: `Secret ${flux.namespace}/${missing.name} is not in the repository (created outside Git?): the variables it defines are unknown, and values that use them are not checked`,
        source: 'render',
        perCluster: true,
      });
  }
  const out: RenderedResource[] = [];
  for (const resource of resources) {
    const value = structuredClone(resource.value);
    if (!postBuild || !resolved) {
      setCommonMetadata(value, spec);
      out.push({ ...resource, value });
      continue;
    }
    let outcome = postBuildResource(value, postBuild, resolved.vars, { strict: true });
    // Sources fluxgate cannot read would give Flux variables: substitute as Flux would, to see
    // which references they must satisfy (those become unknown values).
    if (!outcome.applied && outcome.reason === 'no-variables' && (allUnknown || unknownKeys.size > 0))
      outcome = { applied: true, ...substituteResource(value, resolved.vars, { strict: true }) };
    if (!outcome.applied) {
      setCommonMetadata(value, spec);
      out.push({ ...resource, value });
      continue;
    }
    const substituted = isRecord(outcome.object) ? outcome.object : value;
    const unknown: string[] = [];
    for (const ref of outcome.undefinedVars) {
      if (allUnknown || unknownKeys.has(ref.name)) {
        unknown.push(ref.pointer);
        continue;
      }
      if (!options.strict) continue;
      const place = mapToSource({ ...resource, value }, ref.pointer, {
        reader: options.reader,
        map: options.map,
      });
      findings.push({
        file: place.file,
        docIndex: place.docIndex,
        pointer: place.pointer,
        ruleId: 'render/undefined-variable',
        severity: 'error',
        message: `\${${ref.name}} is not defined for Flux Kustomization ${flux.namespace}/${flux.name} (postBuild.substitute / substituteFrom); Flux's strict substitution fails the build`,
        source: 'render',
        resource: resource.id,
        perCluster: true,
      });
    }
    if (outcome.error && outcome.error.kind !== 'undefined-var') {
      const place = mapToSource({ ...resource, value }, outcome.error.pointer ?? '', {
        reader: options.reader,
        map: options.map,
      });
      findings.push({
        file: place.file,
        docIndex: place.docIndex,
        pointer: place.pointer,
        ruleId: 'kustomize/build-failed',
        severity: 'error',
        message: `post build failed for ${formatResourceId(resource.id)}: ${outcome.error.message}`,
        source: 'kustomize',
        resource: resource.id,
        perCluster: true,
      });
    }
    setCommonMetadata(substituted, spec);
    out.push({
      ...resource,
      id: resourceIdOf(substituted) ?? resource.id,
      value: substituted,
      ...(unknown.length > 0 ? { unknown } : {}),
      ...(outcome.substituted.length > 0
        ? {
            substituted: outcome.substituted.map((s) => ({
              pointer: s.pointer,
              sourcePointer: s.sourcePointer,
              vars: s.vars,
            })),
          }
        : {}),
    });
  }
  return { resources: out, findings };
}
