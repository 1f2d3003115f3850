import path from 'node:path';
import type { Config } from '../config/config.js';
import { isRecord } from '../load/resource.js';
import { normalizeSpecPath } from '../model/flux-target.js';
import type { RenderStage } from '../model/render-stage.js';
import { isFluxKustomization, type RenderedCluster } from '../model/types.js';
import { parseKustomization } from '../render/kustomization/closure.js';
import { isDirectory, KUSTOMIZATION_FILE_NAMES } from '../render/kustomization/kustomization-file.js';
import { isRemoteRef, type KustomizationRef, kustomizationRefs } from '../render/kustomization/references.js';
import { repoJoin } from '../render/origin/resolve-origin.js';
import { homeOf } from './resource-context.js';

/** The repo-scope input, policies/schemas/repo-input.schema.json. */
export interface RepoInput {
  version: 1;
  clusters: RepoCluster[];
  directories: RepoDirectory[];
}

export interface RepoReference {
  field: string;
  value: string;
  type: 'directory' | 'file' | 'remote';
  target: string | null;
  path: string;
}

interface RepoKustomization {
  apiVersion: string;
  namespace: string;
  name: string;
  file: string;
  document: number;
  sourceRef: { kind: string; namespace: string; name: string };
  path: string;
  directory: string | null;
  components?: RepoReference[];
}

interface RepoCluster {
  name: string;
  root: string;
  environment: string | null;
  kustomizations: RepoKustomization[];
}

interface RepoDirectory {
  path: string;
  kustomization: { file: string; document: number } | null;
  references: RepoReference[];
}

/** The schema's `field` values (the kustomization fields that name paths). */
const FIELDS = new Set([
  'resources',
  'components',
  'bases',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'configMapGenerator',
  'secretGenerator',
  'crds',
  'configurations',
  'generators',
  'transformers',
  'validators',
  'openapi',
  'replacements',
  'helmCharts',
]);

const join = (dir: string, rel: string) => [dir, rel].filter((p) => p !== '').join('/');

/** Where a cluster's Flux source lives in the repository ('' for the repository itself), or null. */
function sourceDir(
  root: string,
  config: Config,
  render: Pick<RenderStage, 'builds'>,
  cluster: RenderedCluster,
  ks: { namespace: string; name: string; sourceId: string },
): string | null {
  const mapped = config.sources[ks.sourceId];
  if (mapped !== undefined) {
    const rel = path.relative(root, path.resolve(root, mapped)).split(path.sep).join('/');
    return rel === '..' || rel.startsWith('../') || path.isAbsolute(rel) ? null : rel;
  }
  if (cluster.repoSources.includes(ks.sourceId)) return '';
  const targets = new Set(cluster.targets);
  const build = render.builds.find(
    (b) =>
      targets.has(b.target.key) &&
      b.target.flux?.namespace === ks.namespace &&
      b.target.flux.name === ks.name,
  );
  return build ? build.target.source.rel : null;
}

function reference(root: string, dir: string | null, ref: KustomizationRef, pointer: string): RepoReference {
  const field = pointer.split('/')[1] ?? '';
  if (isRemoteRef(ref.value)) return { field, value: ref.value, type: 'remote', target: null, path: pointer };
  const target = dir === null ? null : (repoJoin(dir, ref.value) ?? null);
  const type =
    ref.kind === 'component'
      ? 'directory'
      : ref.kind === 'file'
        ? 'file'
        : target !== null && isDirectory(path.join(root, target))
          ? 'directory'
          : 'file';
  return { field, value: ref.value, type, target, path: pointer };
}

function fluxKustomizations(
  root: string,
  config: Config,
  render: Pick<RenderStage, 'builds' | 'reader'>,
  cluster: RenderedCluster,
): RepoKustomization[] {
  const out: RepoKustomization[] = [];
  const seen = new Set<string>();
  for (const r of cluster.resources) {
    if (!isFluxKustomization(r.id)) continue;
    const namespace = r.id.namespace ?? 'default';
    if (seen.has(`${namespace}/${r.id.name}`)) continue;
    seen.add(`${namespace}/${r.id.name}`);
    const spec = isRecord(r.value.spec) ? r.value.spec : {};
    const ref = isRecord(spec.sourceRef) ? spec.sourceRef : {};
    const sourceRef = {
      kind: typeof ref.kind === 'string' ? ref.kind : 'GitRepository',
      namespace: typeof ref.namespace === 'string' && ref.namespace !== '' ? ref.namespace : namespace,
      name: typeof ref.name === 'string' ? ref.name : '',
    };
    const sourceId = `${sourceRef.kind}/${sourceRef.namespace}/${sourceRef.name}`;
    const base = sourceDir(root, config, render, cluster, { namespace, name: r.id.name, sourceId });
    const directory = base === null ? null : join(base, normalizeSpecPath(spec.path));
    const components = (Array.isArray(spec.components) ? spec.components : []).flatMap((c, i) =>
      typeof c === 'string' && c.trim() !== ''
        ? [
            reference(
              root,
              directory,
              { pointer: `/spec/components/${i}`, value: c.trim(), kind: 'component' },
              `/spec/components/${i}`,
            ),
          ]
        : [],
    );
    const home = homeOf(render, cluster, r);
    out.push({
      apiVersion: r.id.apiVersion,
      namespace,
      name: r.id.name,
      file: home.file,
      document: home.document,
      sourceRef,
      path: typeof spec.path === 'string' ? spec.path : '',
      directory,
      ...(components.length > 0 ? { components } : {}),
    });
  }
  return out;
}

function directoryOf(
  root: string,
  reader: RenderStage['reader'],
  dir: string,
): { entry: RepoDirectory; next: string[] } {
  const name = KUSTOMIZATION_FILE_NAMES.find((n) => reader.text(join(dir, n)) !== undefined);
  if (!name) return { entry: { path: dir, kustomization: null, references: [] }, next: [] };
  const file = join(dir, name);
  const value = parseKustomization(reader.text(file) ?? '') ?? {};
  const references = kustomizationRefs(value)
    .filter((ref) => FIELDS.has(ref.pointer.split('/')[1] ?? ''))
    .map((ref) => reference(root, dir, ref, ref.pointer));
  const next = references.flatMap((r) => (r.type === 'directory' && r.target !== null ? [r.target] : []));
  return { entry: { path: dir, kustomization: { file, document: 0 }, references }, next };
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The repository model for repo-scope rules: each cluster with the Flux Kustomizations it applies
 * (breadth-first, as rendered) and every build target directory with what it references,
 * followed through directory references.
 */
export function repoInput(
  root: string,
  config: Config,
  render: Pick<RenderStage, 'clusters' | 'builds' | 'reader'>,
): RepoInput {
  const clusters = [...render.clusters]
    .sort((a, b) => byText(a.name, b.name))
    .map((cluster) => ({
      name: cluster.name,
      root: cluster.root,
      environment: config.clusters[cluster.name]?.environment ?? null,
      kustomizations: fluxKustomizations(root, config, render, cluster),
    }));
  const queue: string[] = [];
  for (const build of render.builds) {
    const rel = build.target.source.rel;
    if (rel === '..' || rel.startsWith('../')) continue;
    queue.push(join(rel, build.target.path));
  }
  for (const c of clusters)
    for (const k of c.kustomizations) {
      if (k.directory !== null) queue.push(k.directory);
      for (const ref of k.components ?? []) if (ref.target !== null) queue.push(ref.target);
    }
  const directories = new Map<string, RepoDirectory>();
  while (queue.length > 0) {
    const dir = queue.shift()!;
    if (directories.has(dir)) continue;
    const { entry, next } = directoryOf(root, render.reader, dir);
    directories.set(dir, entry);
    queue.push(...next);
  }
  return {
    version: 1,
    clusters,
    directories: [...directories.values()].sort((a, b) => byText(a.path, b.path)),
  };
}
