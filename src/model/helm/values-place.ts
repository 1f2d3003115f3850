import { isRecord } from '../../load/resource.js';
import type { TargetBuild } from '../../render/build/build-target.js';
import type { SourcePlace } from '../../render/origin/map-to-source.js';
import { pointerOf } from '../../render/origin/pointer-translate.js';
import type { SourceReader } from '../../render/source-reader.js';
import type { ClusterResource, RenderedCluster, ValuesLayer } from '../types.js';

export type Render = { builds: readonly TargetBuild[]; reader: SourceReader };
/** locateRendered, passed in (it calls back into this module for Helm's objects). */
export type Locate = (resource: ClusterResource, pointer: string) => SourcePlace;

function objectOf(
  cluster: RenderedCluster,
  id: NonNullable<ValuesLayer['object']>,
): ClusterResource | undefined {
  return cluster.resources.find(
    (r) =>
      r.id.kind === id.kind &&
      r.id.apiVersion === id.apiVersion &&
      (r.id.namespace ?? '') === (id.namespace ?? '') &&
      r.id.name === id.name &&
      r.origin?.kind !== 'helm',
  );
}

/** Whether a layer sets the value at `path` (a targetPath layer: that path and those below it). */
function defines(layer: ValuesLayer, path: readonly string[]): boolean {
  if (layer.targetPath)
    return layer.targetPath.length <= path.length && layer.targetPath.every((s, i) => s === path[i]);
  let at = layer.values;
  for (const s of path) {
    if (Array.isArray(at)) at = at[Number(s)];
    else if (isRecord(at) && Object.hasOwn(at, s)) at = at[s];
    else return false;
  }
  return at !== undefined;
}

/**
 * Where the value at a values path is written: the highest-precedence layer that sets it, else the
 * one that sets the nearest ancestor (a missing required key is reported at its parent).
 */
export function valuesPathPlace(
  cluster: RenderedCluster,
  layers: readonly ValuesLayer[],
  path: readonly string[],
  locate: Locate,
): SourcePlace | undefined {
  for (let depth = path.length; depth >= 1; depth--) {
    const prefix = path.slice(0, depth);
    for (let i = layers.length - 1; i >= 0; i--)
      if (defines(layers[i]!, prefix)) return layerPlace(cluster, layers[i]!, prefix, locate);
  }
  return undefined;
}

/** The place of a values path in one layer. */
export function layerPlace(
  cluster: RenderedCluster,
  layer: ValuesLayer,
  path: readonly string[],
  locate: Locate,
): SourcePlace | undefined {
  if (layer.file !== undefined)
    return { file: layer.file, docIndex: 0, pointer: pointerOf(path), via: 'origin' };
  if (!layer.object) return undefined;
  const object = objectOf(cluster, layer.object);
  if (!object) return undefined;
  if (layer.targetPath) return locate(object, layer.pointer);
  if (!layer.embedded) return locate(object, layer.pointer + pointerOf(path));
  // YAML text in a ConfigMap key: the key's place, then the path inside the text (the placer reads
  // a block scalar's YAML).
  const key = locate(object, layer.pointer);
  return { ...key, pointer: key.pointer + pointerOf(path) };
}

interface Leaf {
  path: string[];
  value: string | number | boolean;
  layer: number;
}

const leafMemo = new WeakMap<readonly ValuesLayer[], Leaf[]>();

function leaves(layers: readonly ValuesLayer[]): Leaf[] {
  let known = leafMemo.get(layers);
  if (known) return known;
  known = [];
  const out = known;
  layers.forEach((layer, index) => {
    if (layer.targetPath) {
      if (typeof layer.values === 'string')
        out.push({ path: layer.targetPath, value: layer.values, layer: index });
      return;
    }
    const walk = (at: unknown, path: string[]) => {
      if (typeof at === 'string' || typeof at === 'number' || typeof at === 'boolean')
        out.push({ path, value: at, layer: index });
      else if (Array.isArray(at)) for (const [i, v] of at.entries()) walk(v, [...path, String(i)]);
      else if (isRecord(at)) for (const [k, v] of Object.entries(at)) walk(v, [...path, k]);
    };
    walk(layer.values, []);
  });
  leafMemo.set(layers, known);
  return known;
}

/** Lower-case words of keys (`replicaCount` → replica, count), numbers left out. */
function words(segments: readonly string[]): string[] {
  return segments
    .filter((s) => !/^\d+$/.test(s))
    .flatMap((s) => s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^A-Za-z0-9]+/))
    .map((w) => w.toLowerCase())
    .filter((w) => w.length > 1);
}

/** How many words of the value's key and the rendered field's key agree (a prefix counts). */
function similarity(rendered: readonly string[], leaf: readonly string[]): number {
  const a = words(rendered.slice(-3));
  const b = words(leaf.slice(-2));
  return b.filter((w) =>
    a.some((x) => x === w || (w.length >= 4 && x.startsWith(w)) || (x.length >= 4 && w.startsWith(x))),
  ).length;
}

const mergedMemo = new WeakMap<readonly ValuesLayer[], Record<string, unknown>>();

/** The values the layers add up to (a later layer over an earlier one, as Helm merges maps). */
function merged(layers: readonly ValuesLayer[]): Record<string, unknown> {
  let known = mergedMemo.get(layers);
  if (known) return known;
  const merge = (a: unknown, b: unknown): unknown => {
    if (!isRecord(a) || !isRecord(b)) return b;
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
    return out;
  };
  known = {};
  for (const layer of layers) {
    if (!layer.targetPath) known = merge(known, layer.values) as Record<string, unknown>;
    else {
      const nested = layer.targetPath.reduceRight<unknown>((v, key) => ({ [key]: v }), layer.values);
      known = merge(known, nested) as Record<string, unknown>;
    }
    if (!isRecord(known)) known = {};
  }
  mergedMemo.set(layers, known);
  return known;
}

/**
 * A value found inside a longer rendered string (`tag: latest` in `web:latest`) came from it only
 * if the strings beside it in the values (its `repository`) are in that string too: a template's
 * own `alpine/socat:latest` did not come from the release's `image.tag: latest`.
 */
function siblingsFit(layers: readonly ValuesLayer[], path: readonly string[], text: string): boolean {
  let parent: unknown = merged(layers);
  for (const key of path.slice(0, -1)) parent = isRecord(parent) ? parent[key] : undefined;
  if (!isRecord(parent)) return true;
  const others = Object.entries(parent)
    .filter(([k, v]) => k !== path.at(-1) && typeof v === 'string' && v.length >= 3)
    .map(([, v]) => v as string);
  return others.length === 0 || others.some((v) => text.includes(v));
}

/**
 * The values entry a rendered value most likely came from: the templates are not traced, so the
 * value is matched against the values the release sets (not the chart's defaults): the same value
 * (a string, or a number or boolean under a similar key), else a string it contains under a similar
 * key (`tag: latest` in `nginx:latest`, when its `repository` is in it too); among several, the one of the layer that overrides the
 * others (spec.values over valuesFrom over the chart's values files). Ambiguous or unmatched values
 * give undefined.
 */
export function valueSource(
  layers: readonly ValuesLayer[],
  renderedPath: readonly string[],
  value: unknown,
): { layer: number; path: string[] } | undefined {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  const text = String(value);
  const scored = leaves(layers).flatMap((leaf) => {
    const same = String(leaf.value) === text;
    const inside =
      !same &&
      typeof value === 'string' &&
      typeof leaf.value === 'string' &&
      leaf.value.length >= 3 &&
      text.includes(leaf.value);
    if (!same && !inside) return [];
    if (inside && !siblingsFit(layers, leaf.path, text)) return [];
    const score = similarity(renderedPath, leaf.path);
    const plainString = typeof value === 'string' && typeof leaf.value === 'string' && text.length >= 4;
    if (score === 0 && !(same && plainString)) return [];
    return [{ leaf, score, same }];
  });
  if (scored.length === 0) return undefined;
  scored.sort(
    (x, y) =>
      Number(y.same) - Number(x.same) ||
      y.score - x.score ||
      y.leaf.layer - x.leaf.layer ||
      // `repository:tag`: the tag, which findings on images are about.
      Number(text.endsWith(String(y.leaf.value))) - Number(text.endsWith(String(x.leaf.value))) ||
      String(y.leaf.value).length - String(x.leaf.value).length,
  );
  const best = scored[0]!;
  const rival = scored[1];
  // Two different keys equally likely, neither named like the field: no guess.
  if (
    rival &&
    best.score === 0 &&
    rival.same === best.same &&
    rival.score === best.score &&
    pointerOf(rival.leaf.path) !== pointerOf(best.leaf.path)
  )
    return undefined;
  return { layer: best.leaf.layer, path: best.leaf.path };
}
