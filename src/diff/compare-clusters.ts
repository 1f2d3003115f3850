import type { Diagnostic, ResourceId } from '../core/diagnostic.js';
import type { SecretSet } from '../core/secret-set.js';
import type { ClusterResource, RenderedCluster } from '../model/types.js';
import { findingChanges } from './finding-changes.js';
import { comparable, shownText } from './normalize.js';
import { objectKey, stableName } from './object-key.js';
import type { ClusterDiff, ObjectChange, Producer } from './types.js';
import { unifiedDiff } from './unified.js';

export interface CompareOptions {
  /** Every secret value either side learned: none is shown. */
  secrets: SecretSet;
  /** Lines of context around each change (`--unified`). */
  context: number;
}

function producer(r: ClusterResource): Producer {
  return {
    ...(r.appliedBy ? { kustomization: r.appliedBy } : {}),
    ...(r.origin?.kind === 'helm' ? { helmRelease: r.origin.release } : {}),
  };
}

/** The path a diff names an object by: `<cluster>/<Kind>/<namespace>/<name>`. */
function diffPath(cluster: string, r: ClusterResource): string {
  return [cluster, r.id.kind, ...(r.id.namespace ? [r.id.namespace] : []), r.id.name].join('/');
}

function compareObjects(
  cluster: string,
  before: ClusterResource | undefined,
  after: ClusterResource | undefined,
  options: CompareOptions,
): ObjectChange | undefined {
  // The same text is the same object (most of a review): no normalizing needed to say so.
  if (before && after && JSON.stringify(before.value) === JSON.stringify(after.value)) return undefined;
  const a = before && comparable(before.value);
  const b = after && comparable(after.value);
  if (a && b && JSON.stringify(a) === JSON.stringify(b)) return undefined;
  const shown = after ?? before!;
  const diff = unifiedDiff(
    before && options.secrets.scrub(diffPath(cluster, before)),
    after && options.secrets.scrub(diffPath(cluster, after)),
    a ? shownText(a, options.secrets) : '',
    b ? shownText(b, options.secrets) : '',
    options.context,
  );
  const change = !before
    ? 'added'
    : !after
      ? 'removed'
      : before.id.name !== after.id.name
        ? 'renamed'
        : 'changed';
  return {
    change,
    id: shown.id,
    ...(change === 'renamed' ? { previousName: before!.id.name } : {}),
    producer: producer(shown),
    diff,
    ...(diff === '' ? { redactedOnly: true } : {}),
  };
}

/**
 * Pairs the objects of the two sides: by identity (group, kind, namespace, name) first, then the
 * rest by their name without kustomize's generated hash suffix (a generated ConfigMap whose content
 * changed is renamed, not replaced), when that pairs exactly one with one.
 */
function pairObjects(
  base: readonly ClusterResource[],
  head: readonly ClusterResource[],
): [ClusterResource | undefined, ClusterResource | undefined][] {
  // The same object twice in one cluster (refs/duplicate-owner reports it): each copy is paired in turn.
  const byKey = (list: readonly ClusterResource[]) => {
    const map = new Map<string, ClusterResource>();
    for (const r of list) {
      let key = objectKey(r.id);
      for (let n = 2; map.has(key); n++) key = `${objectKey(r.id)}\u0000#${n}`;
      map.set(key, r);
    }
    return map;
  };
  const baseByKey = byKey(base);
  const headByKey = byKey(head);
  const pairs: [ClusterResource | undefined, ClusterResource | undefined][] = [];
  const leftBase: ClusterResource[] = [];
  for (const [key, r] of baseByKey) {
    const other = headByKey.get(key);
    if (other) {
      pairs.push([r, other]);
      headByKey.delete(key);
    } else leftBase.push(r);
  }
  const group = (list: Iterable<ClusterResource>) => {
    const map = new Map<string, ClusterResource[]>();
    for (const r of list) {
      const key = objectKey(r.id, stableName(r.id));
      map.set(key, [...(map.get(key) ?? []), r]);
    }
    return map;
  };
  const headStable = group(headByKey.values());
  for (const [key, list] of group(leftBase)) {
    const others = headStable.get(key);
    if (list.length === 1 && others?.length === 1) {
      pairs.push([list[0], others[0]]);
      headStable.delete(key);
    } else for (const r of list) pairs.push([r, undefined]);
  }
  for (const list of headStable.values()) for (const r of list) pairs.push([undefined, r]);
  return pairs;
}

type ReleaseRender = NonNullable<RenderedCluster['helmReleases']>[number];

/** The cluster's Flux Kustomizations and HelmReleases whose objects are missing from its render. */
function notRendered(
  cluster: RenderedCluster | undefined,
  releaseShown: (h: ReleaseRender) => boolean,
): Map<string, string> {
  const out = new Map<string, string>();
  // A source outside the repository (Flux's own install) is no part of a review.
  for (const i of cluster?.incomplete ?? [])
    if (!i.installsFlux) out.set(`Kustomization ${i.namespace}/${i.name}`, i.reason);
  for (const h of cluster?.helmReleases ?? [])
    if (h.status !== 'rendered' && releaseShown(h))
      out.set(`HelmRelease ${h.namespace}/${h.name}`, h.reason ?? h.status);
  return out;
}

/** An object's text by kind, namespace, name and the first part of its apiVersion. */
type TextIndex = (id: ResourceId) => string | undefined;

const textKey = (id: ResourceId) =>
  `${id.kind}\u0000${id.namespace ?? ''}\u0000${id.name}\u0000${id.apiVersion.split('/')[0]}`;

/** A lookup built once per cluster (a scan per release made large clusters quadratic). */
function textIndex(cluster: RenderedCluster | undefined): TextIndex {
  let index: Map<string, ClusterResource> | undefined;
  return (id) => {
    if (!index) {
      index = new Map();
      for (const r of cluster?.resources ?? []) {
        const key = textKey(r.id);
        // The first copy, as a scan would find it.
        if (!index.has(key)) index.set(key, r);
      }
    }
    const r = index.get(textKey(id));
    return r && JSON.stringify(r.value);
  };
}

/**
 * Whether a HelmRelease rendered on neither side may still render differently: its object or a
 * valuesFrom object changed, it reads values files or a chart of the repository (which the
 * clusters do not hold), or the reason changed. A release that is the same in Git on both sides
 * renders the same, and is no part of the review however many releases a cluster cannot render.
 */
function mayDiffer(base: RenderedCluster | undefined, head: RenderedCluster | undefined) {
  const find = (c: RenderedCluster | undefined, h: ReleaseRender) =>
    c?.helmReleases?.find((x) => x.namespace === h.namespace && x.name === h.name);
  const [baseText, headText] = [textIndex(base), textIndex(head)];
  return (h: ReleaseRender): boolean => {
    const [a, b] = [find(base, h), find(head, h)];
    if (!a || !b || a.status !== b.status || a.reason !== b.reason) return true;
    if (h.chartDir !== undefined || h.layers.some((l) => l.file !== undefined)) return true;
    const release: ResourceId = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      namespace: h.namespace,
      name: h.name,
    };
    const objects = [release, ...h.layers.flatMap((l) => (l.object ? [l.object] : []))];
    return objects.some((id) => baseText(id) !== headText(id));
  };
}

/** Either side's, the head's reason first: `HelmRelease flux-system/nginx: not in the chart cache`. */
function notRenderedNotes(base: RenderedCluster | undefined, head: RenderedCluster | undefined): string[] {
  const shown = mayDiffer(base, head);
  const notes = new Map([...notRendered(base, shown), ...notRendered(head, shown)]);
  return [...notes].map(([what, why]) => `${what}: ${why}`).sort();
}

const ORDER = { removed: 0, renamed: 1, changed: 2, added: 3 } as const;

/** Same input, same output: by kind, namespace, name, then the kind of change. */
function compareChanges(x: ObjectChange, y: ObjectChange): number {
  const key = (c: ObjectChange) => `${c.id.kind}\u0000${c.id.namespace ?? ''}\u0000${c.id.name}`;
  const a = key(x);
  const b = key(y);
  return a < b ? -1 : a > b ? 1 : ORDER[x.change] - ORDER[y.change];
}

/**
 * Each cluster of either side, compared object by object, with the findings the change adds and
 * removes in it. Clusters sorted by name.
 */
export function compareClusters(
  base: readonly RenderedCluster[],
  head: readonly RenderedCluster[],
  findings: { base: readonly Diagnostic[]; head: readonly Diagnostic[] },
  options: CompareOptions,
): ClusterDiff[] {
  const names = [...new Set([...base.map((c) => c.name), ...head.map((c) => c.name)])].sort();
  return names.map((name) => {
    const before = base.find((c) => c.name === name);
    const after = head.find((c) => c.name === name);
    const objects = pairObjects(before?.resources ?? [], after?.resources ?? [])
      .map(([a, b]) => compareObjects(name, a, b, options))
      .filter((c): c is ObjectChange => c !== undefined)
      .sort(compareChanges);
    const inCluster = (list: readonly Diagnostic[]) => list.filter((d) => d.cluster === name);
    const changes = findingChanges(inCluster(findings.base), inCluster(findings.head));
    const status = !before
      ? 'added'
      : !after
        ? 'removed'
        : objects.length > 0 || changes.added.length > 0 || changes.removed.length > 0
          ? 'changed'
          : 'unchanged';
    return { name, status, objects, findings: changes, notRendered: notRenderedNotes(before, after) };
  });
}
