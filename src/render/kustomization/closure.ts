import path from 'node:path';
import jsYaml from 'js-yaml';
import { parse } from 'yaml';
import { isInside } from '../../core/paths.js';
import { FAST_SCHEMA } from '../../load/load-file.js';
import { isRecord } from '../../load/resource.js';
import { FsProbe } from './fs-probe.js';
import { DEPRECATED_FIELDS, kustomizationFileIn } from './kustomization-file.js';
import { isRemoteRef, type KustomizationRef, kustomizationRefs, type RefKind } from './references.js';

/** One kustomization file reached from a build target. Paths are absolute and real. */
export interface KustomizationNode {
  file: string;
  dir: string;
  value: Record<string, unknown>;
  /** Directories of kustomizations it includes (resources, components, generators...). */
  children: string[];
}

export interface RefProblem {
  /** The kustomization file naming the path (absolute). */
  file: string;
  pointer: string;
  value: string;
}

export interface Closure {
  nodes: KustomizationNode[];
  /** Every local file and directory the build reads (absolute, real), for cache keys and changed files. */
  paths: string[];
  /** Paths Flux cannot read: outside the source root (symlinks followed), or through a symlink. */
  escapes: (RefProblem & { resolved: string; why: 'outside' | 'symlink' })[];
  /** Remote targets (git URLs, http(s) files): kustomize would fetch them over the network. */
  remotes: (RefProblem & { kind: RefKind })[];
  helmCharts: RefProblem[];
  deprecated: (RefProblem & { replacement: string })[];
}

export type ReadKustomization = (file: string) => Record<string, unknown> | undefined;

const parsedKustomizations = new Map<string, Record<string, unknown> | null>();

/**
 * Parses a kustomization file leniently: a broken one (or one that is not a mapping) is undefined,
 * kustomize's to report. Each text is
 * parsed once per process (a base is read by every overlay); callers get their own copy.
 */
export function parseKustomization(text: string): Record<string, unknown> | undefined {
  let parsed = parsedKustomizations.get(text);
  if (parsed === undefined) {
    let value: unknown;
    try {
      // js-yaml first (several times faster); `yaml` for what it refuses (duplicate keys, which
      // kustomize's decoder accepts, or broken files).
      value = jsYaml.load(text, { schema: FAST_SCHEMA });
    } catch {
      try {
        value = parse(text, { merge: true, uniqueKeys: false }) as unknown;
      } catch {
        value = Number.NaN; // unreadable
      }
    }
    // An empty file is an empty kustomization; a list or a scalar is none (kustomize: "invalid
    // Kustomization: json: cannot unmarshal array into Go value of type types.Kustomization").
    parsed = isRecord(value) ? value : value === null || value === undefined ? {} : null;
    if (parsedKustomizations.size >= 5000) parsedKustomizations.clear();
    parsedKustomizations.set(text, parsed);
  }
  return parsed === null ? undefined : structuredClone(parsed);
}

/** The first symlink on the way from the root to `absolute` (both real and lexical), if any. */
function symlinkOnPath(fs: FsProbe, realRoot: string, absolute: string): string | undefined {
  const parts = path.relative(realRoot, absolute).split(path.sep).filter(Boolean);
  let at = realRoot;
  for (const part of parts) {
    at = path.join(at, part);
    const kind = fs.entry(at);
    if (kind === 'link') return at;
    if (kind === 'missing') return undefined; // kustomize reports it
  }
  return undefined;
}

/**
 * Why Flux cannot read a referenced path, if it cannot: it leaves the source root (fluxcd/pkg
 * kustomize/filesys/fs_secure.go), or it is (or goes through) a symlink, which the artifact does
 * not contain (source-controller archives regular files and directories only) and which may lead
 * out of the root.
 */
function unreachable(
  fs: FsProbe,
  realRoot: string,
  absolute: string,
): { resolved: string; why: 'outside' | 'symlink' } | undefined {
  if (!isInside(realRoot, absolute)) return { resolved: absolute, why: 'outside' };
  const link = symlinkOnPath(fs, realRoot, absolute);
  if (!link) return undefined;
  const target = fs.realOrSelf(link);
  return { resolved: target, why: isInside(realRoot, target) ? 'symlink' : 'outside' };
}

/**
 * Walks every kustomization a build reads, from the target directory down, on the real source
 * tree (not the build copy), so that symlinks are judged where they point. Remote references are
 * collected, not followed.
 */
export function kustomizationClosure(options: {
  root: string;
  targetDir: string;
  /** The target's kustomization as it will be built (Flux fields merged); its file name. */
  target: { file: string; value: Record<string, unknown> };
  read: ReadKustomization;
  /** File system answers shared by the builds of a run. */
  fs?: FsProbe;
}): Closure {
  const fs = options.fs ?? new FsProbe();
  const realRoot = fs.realOrSelf(options.root);
  const closure: Closure = { nodes: [], paths: [], escapes: [], remotes: [], helmCharts: [], deprecated: [] };
  const seen = new Set<string>();
  const paths = new Set<string>();

  const visit = (file: string, dir: string, value: Record<string, unknown>) => {
    const node: KustomizationNode = { file, dir, value, children: [] };
    closure.nodes.push(node);
    paths.add(file);
    for (const [field, replacement] of Object.entries(DEPRECATED_FIELDS))
      if (value[field] !== undefined && value[field] !== null)
        closure.deprecated.push({ file, pointer: `/${field}`, value: field, replacement });
    for (const field of ['helmCharts', 'helmChartInflationGenerator'])
      if (Array.isArray(value[field]) && value[field].length > 0)
        closure.helmCharts.push({ file, pointer: `/${field}`, value: field });
    for (const ref of kustomizationRefs(value)) follow(node, ref);
  };

  const follow = (node: KustomizationNode, ref: KustomizationRef) => {
    const problem = { file: node.file, pointer: ref.pointer, value: ref.value };
    if (isRemoteRef(ref.value)) {
      // kustomize's loader fetches any path that is a URL (a resource, a generator's file, a
      // patch): all of them are network access.
      closure.remotes.push({ ...problem, kind: ref.kind });
      return;
    }
    const value = ref.value.replace(/^file:\/\//i, '');
    const absolute = path.resolve(node.dir, value);
    const escaped = unreachable(fs, realRoot, absolute);
    if (escaped) {
      closure.escapes.push({ ...problem, ...escaped });
      return;
    }
    const real = fs.realOrSelf(absolute);
    paths.add(real);
    if (ref.kind === 'file' || fs.target(real) !== 'dir') return;
    const name = kustomizationFileIn(real, (file) => fs.target(file) === 'file');
    if (!name) return;
    node.children.push(real);
    const file = path.join(real, name);
    if (seen.has(file)) return;
    seen.add(file);
    visit(file, real, options.read(file) ?? {});
  };

  const targetDir = fs.realOrSelf(options.targetDir);
  const targetFile = path.join(targetDir, options.target.file);
  seen.add(targetFile);
  visit(targetFile, targetDir, options.target.value);
  closure.paths = [...paths].sort();
  return closure;
}
