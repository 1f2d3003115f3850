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
  return mirrored(artifact, specPath, isDirectory) ?? singleCopy(artifact, specPath, isDirectory);
}

/** One directory operation: what it copies, and where in the artifact it lands. */
function directoryCopy(
  op: GeneratedArtifact['copy'][number],
  isDirectory: (alias: string, dir: string) => boolean | undefined,
): { alias: string; sourceDir: string; destDir: string } | undefined {
  const from = /^@([^/]+)\/(.*)$/.exec(op.from);
  const to = /^@artifact\/(.*)$/.exec(op.to);
  if (!from || !to) return undefined;
  const alias = from[1]!;
  const pattern = from[2]!;
  const dest = trimSlashes(to[1]!);
  const contents = /^(.*?)\/\*\*?$/.exec(pattern) ?? (pattern === '**' || pattern === '*' ? ['', ''] : null);
  if (contents && !GLOB.test(contents[1]!))
    return { alias, sourceDir: trimSlashes(contents[1]!), destDir: dest };
  if (!GLOB.test(pattern) && isDirectory(alias, trimSlashes(pattern)) === true) {
    const sourceDir = trimSlashes(pattern);
    const base = sourceDir.split('/').pop() ?? '';
    return { alias, sourceDir, destDir: [dest, base].filter((p) => p !== '').join('/') };
  }
  return undefined;
}

/**
 * An artifact that keeps the source's layout: every operation copies a directory of one source
 * to the same place under one common directory P (`@repo/apps/base/** -> @artifact/base/` and
 * `@repo/apps/production/** -> @artifact/production/`: P = apps). Then the artifact is P with only
 * the copied directories, and relative references between them (an overlay's `../base`) resolve
 * as in the artifact. What is not copied is ignored.
 */
function mirrored(
  artifact: GeneratedArtifact,
  specPath: string,
  isDirectory: (alias: string, dir: string) => boolean | undefined,
): ArtifactDirectory | undefined {
  if (
    artifact.copy.length === 0 ||
    artifact.copy.some((op) => op.strategy === 'Merge' || op.strategy === 'Extract')
  )
    return undefined;
  const copies = artifact.copy.map((op) => directoryCopy(op, isDirectory));
  if (copies.some((c) => c === undefined)) return undefined;
  const all = copies as { alias: string; sourceDir: string; destDir: string }[];
  const prefixes = new Set(
    all.map((c) => {
      if (c.destDir === '') return c.sourceDir;
      return c.sourceDir === c.destDir
        ? ''
        : c.sourceDir.endsWith(`/${c.destDir}`)
          ? c.sourceDir.slice(0, -c.destDir.length - 1)
          : '\0';
    }),
  );
  const aliases = new Set(all.map((c) => c.alias));
  if (prefixes.size !== 1 || aliases.size !== 1 || prefixes.has('\0')) return undefined;
  const target = trimSlashes(specPath.replace(/^\.\//, '').replace(/^\.$/, ''));
  const dests = all.map((c) => c.destDir);
  if (!dests.some((d) => d === '' || target === d || target.startsWith(`${d}/`))) return undefined;
  const ignore: string[] = [];
  if (!dests.includes('')) {
    // Ignore everything, then bring back each copied directory and the directories on its way.
    const keep = new Set<string>();
    const through = new Set<string>();
    for (const d of dests) {
      const parts = d.split('/');
      for (let i = 1; i <= parts.length; i++) keep.add(parts.slice(0, i).join('/'));
      for (let i = 1; i < parts.length; i++) through.add(parts.slice(0, i).join('/'));
    }
    ignore.push('/*');
    const depth = (p: string) => p.split('/').length;
    const maxDepth = Math.max(...[...keep].map(depth));
    for (let level = 1; level <= maxDepth; level++) {
      for (const k of [...keep].filter((p) => depth(p) === level).sort()) ignore.push(`!/${k}/`);
      for (const t of [...through].filter((p) => depth(p) === level).sort()) ignore.push(`/${t}/*`);
    }
  }
  artifact.copy.forEach((op, i) => {
    const dest = all[i]!.destDir;
    for (const e of op.exclude) {
      const scoped = e.includes('/') ? e.replace(/^\/+/, '') : `**/${e}`;
      ignore.push(dest === '' ? `/${scoped}` : `/${dest}/${scoped}`);
    }
  });
  return { alias: [...aliases][0]!, sourceDir: [...prefixes][0]!, path: target, ignore };
}

function singleCopy(
  artifact: GeneratedArtifact,
  specPath: string,
  isDirectory: (alias: string, dir: string) => boolean | undefined,
): ArtifactDirectory | string {
  const target = trimSlashes(specPath.replace(/^\.\//, '').replace(/^\.$/, ''));
  const within = (p: string, dir: string) => dir === '' || p === dir || p.startsWith(`${dir}/`);
  let found: ArtifactDirectory | undefined;
  const inner: ArtifactDirectory[] = [];
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
      inner.push({
        alias,
        sourceDir,
        path: '',
        ignore: op.exclude.map((e) => (e.includes('/') ? `/${e.replace(/^\/+/, '')}` : e)),
      });
    }
  }
  if (found && inner.length > 0)
    return `copy operations write into ${target || 'the artifact root'} and below it: that composes it from several sources`;
  if (found) return found;
  // One directory copied below the path (`@repo/apps/x/app/` -> `@artifact/apps/x/app/` copies the
  // directory itself, as `cp -r`, to apps/x/app/app): Flux's generated kustomization at the path
  // holds that directory alone, which builds as the copied directory itself.
  if (inner.length === 1) return inner[0]!;
  if (inner.length > 1)
    return `${inner.length} copy operations compose ${target || 'the artifact root'} from several directories`;
  return `no copy operation of ExternalArtifact copies ${target || 'the artifact root'}`;
}
