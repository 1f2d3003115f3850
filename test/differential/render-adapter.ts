// Renders one Flux Kustomization with fluxgate's render stage, for the differential tests against
// flux-oracle (tools/flux-oracle): `Renderer.build` (src/render/renderer.ts: Flux fields merged into
// the kustomization, the real kustomize, confined to the source root), then `applyPostBuild`
// (src/render/flux/post-build.ts: postBuild substitution and commonMetadata), the steps
// kustomize-controller's build() and apply() take. fluxgate has no single exported "render this
// Flux Kustomization" function yet; this file only wires those two together with the fixture's
// ConfigMaps/Secrets standing for the cluster, and does no rendering of its own.
import path from 'node:path';
import { applyPostBuild } from '../../src/render/flux/post-build.js';
import { selectKustomize } from '../../src/render/kustomize/select-kustomize.js';
import { Renderer } from '../../src/render/renderer.js';
import { SourceReader } from '../../src/render/source-reader.js';
import type { BuildTarget, RenderFinding } from '../../src/render/types.js';

export interface RenderInput {
  /** The directory standing for the Flux source artifact (absolute). */
  sourceRoot: string;
  /** The Flux Kustomization object (kustomize.toolkit.fluxcd.io/v1). */
  kustomization: Record<string, unknown>;
  /** ConfigMaps and Secrets of the cluster that `spec.postBuild.substituteFrom` may read. */
  varSources: Record<string, unknown>[];
  /** kustomize-controller's StrictPostBuildSubstitutions feature gate. */
  strict: boolean;
}

/** `ok`: no error finding (Flux would apply `objects`); every finding is given either way. */
export interface RenderOutput {
  ok: boolean;
  objects: Record<string, unknown>[];
  findings: RenderFinding[];
  /** The error findings, one per line, for messages. */
  error: string;
}

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** spec.path as the controller resolves it (securejoin onto the artifact root), POSIX, '' for the root. */
function targetPath(specPath: unknown): string {
  const raw = typeof specPath === 'string' ? specPath : '';
  const clean = path.posix.normalize(`/${raw.replaceAll('\\', '/')}`);
  return clean.replace(/^\/+/, '').replace(/\/+$/, '');
}

/** Objects without a namespace are in `default`, as kubectl applies them (flux-oracle does the same). */
function namespaceOf(object: Record<string, unknown>): string {
  const ns = record(object.metadata).namespace;
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

export async function renderWithFluxgate(input: RenderInput): Promise<RenderOutput> {
  const metadata = record(input.kustomization.metadata);
  const spec = record(input.kustomization.spec);
  const namespace = namespaceOf(input.kustomization);
  const name = String(metadata.name);

  const env = process.env;
  const kustomize = await selectKustomize({ env, cwd: input.sourceRoot });
  const reader = new SourceReader(input.sourceRoot, new Map());
  const renderer = new Renderer({
    reader,
    kustomize,
    concurrency: 1,
    timeoutMs: 60_000,
    remoteBases: false,
    env,
  });
  const flux = { namespace, name, spec };
  const target: BuildTarget = {
    key: `differential:${namespace}/${name}`,
    source: { id: 'repo', dir: input.sourceRoot, rel: '' },
    path: targetPath(spec.path),
    flux,
  };
  try {
    const build = await renderer.build(target);
    const findings = [...build.findings];
    let objects: Record<string, unknown>[] = [];
    if (build.status === 'ok') {
      const post = applyPostBuild(build.resources, {
        flux,
        strict: input.strict,
        reader,
        map: build.map,
        lookup: ({ kind, name: sourceName }) => {
          const found = input.varSources.find(
            (o) =>
              o.apiVersion === 'v1' &&
              o.kind === kind &&
              record(o.metadata).name === sourceName &&
              namespaceOf(o) === namespace,
          );
          return found ? { status: 'found', object: found } : { status: 'not-found' };
        },
      });
      findings.push(...post.findings);
      objects = post.resources.map((r) => r.value);
    }
    const errors = findings.filter((f) => f.severity === 'error');
    return {
      ok: build.status === 'ok' && errors.length === 0,
      objects,
      findings,
      error: errors.map((f) => `${f.ruleId}: ${f.message}`).join('\n') || `build ${build.status}`,
    };
  } finally {
    renderer.dispose();
  }
}
