import { isRecord } from '../../load/resource.js';
import type { MapInfo } from '../build/closure-findings.js';
import { kustomizationRefs } from '../kustomization/references.js';
import type { SourceReader } from '../source-reader.js';
import type { DocLocation, RenderedResource } from '../types.js';
import { type Setter, settersIn } from './overlay-setter.js';
import { deepEqual, translatePointer, valueAt } from './pointer-translate.js';
import { repoJoin } from './resolve-origin.js';

export interface SourcePlace extends DocLocation {
  pointer: string;
  /**
   * Why this place: the origin field, an overlay entry, the `${var}` use, or the object's first line;
   * for an object a HelmRelease rendered, the values entry that set it, else the release's chart.
   */
  via: 'origin' | 'overlay' | 'flux' | 'variable' | 'resource' | 'kustomization' | 'values' | 'chart';
  /** For `variable`: the variables that produced the value. */
  vars?: string[];
}

/**
 * A build's kustomizations as include chains need them, worked out once per build: keyed by its
 * nodes, which every finding's map shares (the map itself is made per finding).
 */
interface ChainIndex {
  /** Per node: the repo paths its non-component entries name. */
  includes: Set<string | undefined>[];
  /** Per node: the nodes of the components it applies, in order. */
  components: number[][];
  /** Chains already worked out, by file. */
  chains: Map<string, readonly number[]>;
}

const chainIndexes = new WeakMap<MapInfo['nodes'], ChainIndex>();

function chainIndex(map: MapInfo): ChainIndex {
  const { nodes } = map;
  let index = chainIndexes.get(nodes);
  if (index) return index;
  const byDir = new Map(nodes.map((n, i) => [n.dir, i]));
  const includes: Set<string | undefined>[] = [];
  const components: number[][] = [];
  for (const node of nodes) {
    const refs = kustomizationRefs(node.value);
    includes.push(
      new Set(refs.filter((r) => r.kind !== 'component').map((r) => repoJoin(node.dir, r.value))),
    );
    components.push(
      refs.flatMap((r) => {
        const c = r.kind === 'component' ? byDir.get(repoJoin(node.dir, r.value) ?? '\0') : undefined;
        return c === undefined ? [] : [c];
      }),
    );
  }
  index = { includes, components, chains: new Map() };
  chainIndexes.set(nodes, index);
  return index;
}

/** Kustomizations that include `file`, innermost first, each preceded by the components it applies. */
export function includeChain(map: MapInfo, file: string | undefined): readonly number[] {
  const index = chainIndex(map);
  const key = file ?? '\u0000';
  let chain = index.chains.get(key);
  if (!chain) {
    chain = computeIncludeChain(map, index, file);
    index.chains.set(key, chain);
  }
  return chain;
}

function computeIncludeChain(map: MapInfo, index: ChainIndex, file: string | undefined): number[] {
  const { nodes } = map;
  let layer =
    file === undefined
      ? []
      : nodes.map((_, i) => i).filter((i) => index.includes[i]!.has(file) || nodes[i]!.file === file);
  if (layer.length === 0) layer = [0];
  const order: number[] = [];
  const add = (i: number) => {
    if (order.includes(i)) return;
    for (const c of index.components[i]!) if (!order.includes(c)) order.push(c);
    order.push(i);
  };
  while (layer.length > 0) {
    for (const i of layer) add(i);
    const dirs = new Set(layer.map((i) => nodes[i]!.dir));
    layer = nodes
      .map((_, j) => j)
      .filter((j) => !order.includes(j) && nodes[j]!.children.some((c) => dirs.has(c)));
  }
  return order;
}

function setterPlace(setter: Setter, map: MapInfo): SourcePlace {
  if (setter.file)
    return { file: setter.file, docIndex: setter.docIndex, pointer: setter.pointer, via: 'overlay' };
  const node = map.nodes[setter.node]!;
  if (setter.node === 0) {
    for (const [merged, spec] of map.fromFlux)
      if (map.flux && (setter.pointer === merged || setter.pointer.startsWith(`${merged}/`)))
        return { ...map.flux, pointer: spec + setter.pointer.slice(merged.length), via: 'flux' };
  }
  if (node.file) return { file: node.file, docIndex: 0, pointer: setter.pointer, via: 'overlay' };
  return map.flux
    ? { ...map.flux, pointer: '/spec/path', via: 'flux' }
    : { file: map.dir, docIndex: 0, pointer: '', via: 'kustomization' };
}

function originalName(doc: unknown): string | undefined {
  return isRecord(doc) && isRecord(doc.metadata) && typeof doc.metadata.name === 'string'
    ? doc.metadata.name
    : undefined;
}

/**
 * Where a finding at `pointer` of a rendered object belongs, per issue 3 "Mapping back to the
 * edited line": the field in the origin file when it holds the rendered value; else the overlay
 * entry that set it (patch field, JSON6902 op, `images:` entry, `namespace:`, name prefix, the Flux
 * Kustomization's own fields); else the `${var}` that post-build substitution replaced; else the
 * field in the origin file if it is there at all; else the object's first line.
 */
export function mapToSource(
  resource: RenderedResource,
  pointer: string,
  ctx: { reader: SourceReader; map: MapInfo },
): SourcePlace {
  const origin = resource.origin;
  const doc = origin?.kind === 'file' ? ctx.reader.document(origin.file, origin.docIndex) : undefined;
  const inOrigin = doc === undefined ? undefined : translatePointer(resource.value, doc, pointer);
  const rendered = valueAt(resource.value, pointer);
  if (origin?.kind === 'file' && inOrigin !== undefined && deepEqual(valueAt(doc, inOrigin), rendered))
    return { file: origin.file, docIndex: origin.docIndex, pointer: inOrigin, via: 'origin' };
  // commonMetadata is set last (kustomize-controller apply()), over everything else.
  const common = /^\/metadata\/(labels|annotations)\/(.+)$/.exec(pointer);
  const commonMetadata = ctx.map.fluxSpec?.commonMetadata;
  if (common && ctx.map.flux && isRecord(commonMetadata)) {
    const set = commonMetadata[common[1]!];
    if (isRecord(set) && Object.hasOwn(set, common[2]!.replaceAll('~1', '/').replaceAll('~0', '~')))
      return { ...ctx.map.flux, pointer: `/spec/commonMetadata/${common[1]}/${common[2]}`, via: 'flux' };
  }
  const query = {
    object: resource.value,
    pointer,
    ...(originalName(doc) ? { originalName: originalName(doc)! } : {}),
  };
  const file = origin?.kind === 'file' || origin?.kind === 'generated' ? origin.file : undefined;
  let last: Setter | undefined;
  for (const i of includeChain(ctx.map, file)) {
    const found = settersIn(ctx.map.nodes[i]!, i, query, ctx.reader);
    if (found.length > 0) last = found.at(-1);
  }
  if (last) return setterPlace(last, ctx.map);
  const sub = resource.substituted?.find((s) => s.pointer === pointer || pointer.startsWith(`${s.pointer}/`));
  if (sub && origin?.kind === 'file' && doc !== undefined) {
    const at = translatePointer(resource.value, doc, sub.sourcePointer);
    if (at !== undefined)
      return { file: origin.file, docIndex: origin.docIndex, pointer: at, via: 'variable', vars: sub.vars };
  }
  if (origin?.kind === 'file')
    return {
      file: origin.file,
      docIndex: origin.docIndex,
      pointer: inOrigin ?? '',
      via: inOrigin ? 'origin' : 'resource',
    };
  if (origin?.kind === 'generated')
    return { file: origin.file, docIndex: 0, pointer: origin.pointer, via: 'kustomization' };
  const top = ctx.map.nodes[0];
  if (top?.file) return { file: top.file, docIndex: 0, pointer: '', via: 'kustomization' };
  return ctx.map.flux
    ? { ...ctx.map.flux, pointer: '/spec/path', via: 'flux' }
    : { file: ctx.map.dir, docIndex: 0, pointer: '', via: 'kustomization' };
}
