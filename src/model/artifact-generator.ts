import type { ResourceId } from '../core/diagnostic.js';

const EXTENSIONS_GROUP = 'source.extensions.fluxcd.io';

/**
 * Whether an ArtifactGenerator (source.extensions.fluxcd.io, Flux's source-watcher) among
 * `objects` produces the ExternalArtifact `namespace/name`: each `spec.artifacts[].name` becomes
 * an ExternalArtifact in the generator's namespace, created in the cluster, not in Git.
 * https://fluxcd.io/flux/components/source/artifactgenerators/
 */
export function generatesArtifact(
  objects: Iterable<{ id: ResourceId; value: Record<string, unknown> }>,
  namespace: string,
  name: string,
): boolean {
  for (const o of objects) {
    if (o.id.kind !== 'ArtifactGenerator' || !o.id.apiVersion.startsWith(`${EXTENSIONS_GROUP}/`)) continue;
    if ((o.id.namespace ?? 'default') !== namespace) continue;
    const artifacts = (o.value.spec as { artifacts?: unknown } | undefined)?.artifacts;
    if (!Array.isArray(artifacts)) continue;
    if (artifacts.some((a) => typeof a === 'object' && a !== null && (a as { name?: unknown }).name === name))
      return true;
  }
  return false;
}

export interface ArtifactSourceRef {
  alias: string;
  kind: string;
  name: string;
  namespace: string;
  id: string;
}

/** One output artifact of an ArtifactGenerator: its source aliases and copy operations. */
export interface GeneratedArtifact {
  generator: string;
  sources: ArtifactSourceRef[];
  copy: { from: string; to: string; exclude: string[]; strategy?: string }[];
}

/** The ArtifactGenerator output that becomes ExternalArtifact `namespace/name`, if any. */
export function generatedArtifact(
  objects: Iterable<{ id: ResourceId; value: Record<string, unknown> }>,
  namespace: string,
  name: string,
): GeneratedArtifact | undefined {
  for (const o of objects) {
    if (o.id.kind !== 'ArtifactGenerator' || !o.id.apiVersion.startsWith(`${EXTENSIONS_GROUP}/`)) continue;
    const ns = o.id.namespace ?? 'default';
    if (ns !== namespace) continue;
    const spec = (o.value.spec ?? {}) as { sources?: unknown; artifacts?: unknown };
    const artifacts = Array.isArray(spec.artifacts) ? spec.artifacts : [];
    const artifact = artifacts.find(
      (a): a is Record<string, unknown> =>
        typeof a === 'object' && a !== null && (a as { name?: unknown }).name === name,
    );
    if (!artifact) continue;
    const sources = (Array.isArray(spec.sources) ? spec.sources : []).flatMap((s): ArtifactSourceRef[] => {
      const r = s as Record<string, unknown>;
      if (typeof r.alias !== 'string' || typeof r.kind !== 'string' || typeof r.name !== 'string') return [];
      const refNs = typeof r.namespace === 'string' && r.namespace !== '' ? r.namespace : ns;
      return [
        { alias: r.alias, kind: r.kind, name: r.name, namespace: refNs, id: `${r.kind}/${refNs}/${r.name}` },
      ];
    });
    const copy = (Array.isArray(artifact.copy) ? artifact.copy : []).flatMap((c) => {
      const r = c as Record<string, unknown>;
      if (typeof r.from !== 'string' || typeof r.to !== 'string') return [];
      const exclude = Array.isArray(r.exclude)
        ? r.exclude.filter((e): e is string => typeof e === 'string')
        : [];
      return [
        {
          from: r.from,
          to: r.to,
          exclude,
          ...(typeof r.strategy === 'string' ? { strategy: r.strategy } : {}),
        },
      ];
    });
    return { generator: `${ns}/${o.id.name}`, sources, copy };
  }
  return undefined;
}

/** Where a directory of the artifact comes from: one directory of one aliased source, copied whole. */
export interface ArtifactDirectory {
  alias: string;
  /** The directory in the aliased source (POSIX, '' for its root). */
  sourceDir: string;
  /** The Kustomization's path below `sourceDir`. */
  path: string;
  /** The copy operation's `exclude` patterns, as .sourceignore lines relative to `sourceDir`. */
  ignore: string[];
}

const GLOB = /[*?[\]]/;

const trimSlashes = (p: string) => p.replace(/^\/+|\/+$/g, '');

/**
 * Maps a Kustomization's `spec.path` in a generated artifact back to the source directory it is
 * copied from, following source-watcher's cp-like copy rules (internal/builder/builder.go):
 * `@alias/dir/**` (or `dir/*`) copies the contents of dir into the destination; `@alias/dir`
 * (a directory, no glob) copies dir itself into it, as `cp -r`. The path must lie in what one such
 * operation copies, and no other operation may write into it; `exclude` patterns become ignore
 * lines. Anything else (files, other globs, Merge or Extract strategies, composed directories)
 * cannot be rendered from the repository as it stands: the reason is returned instead.
 */
export function artifactDirectory(
  artifact: GeneratedArtifact,
  specPath: string,
  isDirectory: (alias: string, dir: string) => boolean | undefined,
): ArtifactDirectory | string {
  const target = trimSlashes(specPath.replace(/^\.\//, '').replace(/^\.$/, ''));
  const within = (p: string, dir: string) => dir === '' || p === dir || p.startsWith(`${dir}/`);
  let found: ArtifactDirectory | undefined;
  for (const op of artifact.copy) {
    const from = /^@([^/]+)\/(.*)$/.exec(op.from);
    const to = /^@artifact\/(.*)$/.exec(op.to);
    if (!from || !to) return `copy operation ${op.from} -> ${op.to} is not @alias/path -> @artifact/path`;
    const [, alias, pattern] = from as unknown as [string, string, string];
    const dest = trimSlashes(to[1]!);
    let destDir: string | undefined;
    let sourceDir: string | undefined;
    const contents =
      /^(.*?)\/\*\*?$/.exec(pattern) ?? (pattern === '**' || pattern === '*' ? ['', ''] : null);
    if (contents && !GLOB.test(contents[1]!)) {
      destDir = dest;
      sourceDir = trimSlashes(contents[1]!);
    } else if (!GLOB.test(pattern) && isDirectory(alias, trimSlashes(pattern)) === true) {
      sourceDir = trimSlashes(pattern);
      const base = sourceDir.split('/').pop() ?? '';
      destDir = [dest, base].filter((p) => p !== '').join('/');
    }
    if (destDir === undefined || sourceDir === undefined) {
      // Files or a pattern: harmless unless they land inside the Kustomization's directory.
      if (within(dest, target))
        return `copy operation ${op.from} -> ${op.to} writes files into ${target || 'the artifact root'}`;
      continue;
    }
    if (op.strategy === 'Extract' || op.strategy === 'Merge') {
      if (within(target, destDir) || within(destDir, target))
        return `copy operation ${op.from} -> ${op.to} uses the ${op.strategy} strategy`;
      continue;
    }
    if (within(target, destDir)) {
      if (found) return `several copy operations write into ${target || 'the artifact root'}`;
      found = {
        alias,
        sourceDir,
        path: destDir === '' ? target : target.slice(destDir.length).replace(/^\//, ''),
        ignore: op.exclude.map((e) => (e.includes('/') ? `/${e.replace(/^\/+/, '')}` : e)),
      };
    } else if (within(destDir, target) && destDir !== target) {
      return `copy operation ${op.from} -> ${op.to} composes ${target || 'the artifact root'} from several sources`;
    }
  }
  return found ?? `no copy operation of ExternalArtifact copies ${target || 'the artifact root'}`;
}
