// Aliases as go-yaml decodes them. go-yaml expands every alias while decoding and refuses a
// document whose decoding is mostly expansion ("document contains excessive aliasing", decode.go),
// which is how it stops alias bombs ("billion laughs"). JavaScript's parsers share the aliased
// value instead, so a bomb only explodes later, in whatever stage first serialises it.
import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  type Pair,
} from 'yaml';
import type { YamlProblem } from './go-yaml-cst.js';
import { excessiveAliasing, formatBytes, MAX_DEPTH, MAX_DOCUMENT_BYTES } from './yaml-limits.js';

/**
 * `unbounded`: kustomize would expand it without go-yaml's guard (kyaml's DeAnchor copies every
 * alias), so a build must not be given the file.
 */
export type AliasProblem = YamlProblem & { tooLarge?: true; unbounded?: true };

interface Context {
  /** Reached through an alias: go-yaml counts it as alias-driven (decode.go `aliasDepth > 0`). */
  viaAlias: boolean;
  /** The outermost alias being expanded, where a finding about the expansion points. */
  origin: number | undefined;
  depth: number;
  /** decode.go `mergedFields`: the keys a mapping merged into already has (its values are skipped). */
  merged?: Set<string> | undefined;
}

type Frame =
  | ({ kind: 'node'; node: Node } & Context)
  | ({ kind: 'pair'; pair: Pair } & Context)
  | ({ kind: 'merge'; parent: readonly Pair[]; source: Node | null } & Context);

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key) || (key.type !== undefined && key.type !== 'PLAIN')) return false;
  const value = key.value;
  return value === '<<' || (typeof value === 'symbol' && value.description === '<<');
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}

/**
 * Anchors by name, in document order, so an alias resolves to the last anchor of its name before
 * it (as the `yaml` package's `Alias.resolve`, which searches the whole document per call).
 */
function anchorIndex(root: Node): Map<string, { offset: number; node: Node }[]> {
  const index = new Map<string, { offset: number; node: Node }[]>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isNode(node)) continue;
    if (node.anchor) {
      const list = index.get(node.anchor) ?? [];
      list.push({ offset: node.range?.[0] ?? 0, node });
      index.set(node.anchor, list);
    }
    if (isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    else if (isMap(node))
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i];
        if (!isPair(pair)) continue;
        stack.push(pair.value, pair.key);
      }
  }
  return index;
}

function resolveIn(index: Map<string, { offset: number; node: Node }[]>, alias: Alias): Node | undefined {
  const list = index.get(alias.source);
  const offset = alias.range?.[0] ?? 0;
  let found: Node | undefined;
  for (const entry of list ?? []) if (entry.offset < offset) found = entry.node;
  return found;
}

/**
 * Walks a document as go-yaml v3's decoder does, without recursion: every node decode is counted,
 * those under an alias as alias-driven, merge keys as decode.go `merge` counts them (the
 * mapping's own keys once more, then each source, skipping the values of keys already set), and
 * the document is refused as go-yaml refuses it. Its expanded size and depth are bounded too: a
 * document within go-yaml's ratio can still repeat a long string many times.
 */
export function aliasProblem(doc: Document): AliasProblem | undefined {
  const root = doc.contents as Node | null;
  if (!root) return undefined;
  const anchors = anchorIndex(root);
  let decodes = 1; // the document node
  let aliased = 0;
  let bytes = 0;
  const stack: Frame[] = [{ kind: 'node', node: root, viaAlias: false, origin: undefined, depth: 0 }];
  const at = (ctx: Context, node: Node | undefined) => ctx.origin ?? node?.range?.[0] ?? 0;
  let problem: AliasProblem | undefined;
  /** One node decode (decode.go `unmarshal`): counted, then judged. */
  const count = (ctx: Context, node: Node | undefined): boolean => {
    decodes++;
    if (ctx.viaAlias) aliased++;
    if (excessiveAliasing(decodes, aliased))
      problem = {
        offset: at(ctx, node),
        unbounded: true,
        message: `document contains excessive aliasing: go-yaml (Flux's YAML reader) refuses a document that is mostly alias expansion (${aliased} of ${decodes} decoded nodes come from aliases), its guard against alias bombs`,
      };
    return problem === undefined;
  };
  /** A key's decode: the key, and through an alias its target. Returns the key's text. */
  const decodeKey = (ctx: Context, key: unknown): string | undefined => {
    if (!isNode(key)) return '';
    if (!count(ctx, key)) return undefined;
    if (!isAlias(key)) return isScalar(key) ? String(key.value) : '';
    const target = resolveIn(anchors, key);
    if (!target) {
      problem = { offset: key.range?.[0] ?? 0, message: `unknown anchor '${key.source}' referenced` };
      return undefined;
    }
    if (!count({ ...ctx, viaAlias: true }, target)) return undefined;
    return target && isScalar(target) ? String(target.value) : '';
  };
  while (stack.length > 0 && problem === undefined) {
    const frame = stack.pop()!;
    const { viaAlias, origin, depth } = frame;
    if (frame.kind === 'pair') {
      const key = decodeKey(frame, frame.pair.key);
      if (key === undefined) break;
      if (frame.merged?.has(key)) continue;
      frame.merged?.add(key);
      if (isNode(frame.pair.value))
        stack.push({ kind: 'node', node: frame.pair.value, viaAlias, origin, depth: depth + 1 });
      continue;
    }
    if (frame.kind === 'merge') {
      let merged = frame.merged;
      if (!merged) {
        merged = new Set();
        for (const pair of frame.parent) {
          const key = decodeKey(frame, pair.key);
          if (key === undefined) break;
          merged.add(key);
        }
      }
      const source = frame.source;
      const sources = source && isSeq(source) ? source.items : [source];
      for (let i = sources.length - 1; i >= 0; i--) {
        const item = sources[i];
        if (isNode(item)) stack.push({ kind: 'node', node: item, viaAlias, origin, depth, merged });
      }
      continue;
    }
    const { node } = frame;
    if (!count(frame, node)) break;
    if (depth > MAX_DEPTH)
      return {
        offset: at(frame, node),
        message: `exceeded max depth of ${MAX_DEPTH} once aliases are expanded: Flux and the Kubernetes API read at most ${MAX_DEPTH} nested levels`,
      };
    if (isAlias(node)) {
      const target = resolveIn(anchors, node);
      const offset = node.range?.[0] ?? 0;
      if (!target) return { offset, message: `unknown anchor '${node.source}' referenced` };
      const [start, end] = target.range ?? [0, 0];
      if (start <= offset && offset < end)
        return { offset, message: `anchor '${node.source}' value contains itself` };
      stack.push({ ...frame, node: target, viaAlias: true, origin: origin ?? offset });
      continue;
    }
    if (isScalar(node)) {
      const value = node.value;
      bytes += (typeof value === 'string' ? value.length : String(value ?? '').length) + 1;
      if (bytes > MAX_DOCUMENT_BYTES)
        return {
          offset: at(frame, node),
          tooLarge: true,
          unbounded: true,
          message: `document is larger than ${formatBytes(MAX_DOCUMENT_BYTES)} once its aliases are expanded, the most the Kubernetes API server accepts in one object: Flux cannot apply it`,
        };
      continue;
    }
    const inner = { viaAlias, origin, depth: depth + 1 };
    if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i];
        if (isNode(item)) stack.push({ kind: 'node', node: item, ...inner });
      }
    } else if (isMap(node)) {
      const pairs = node.items.filter(isPair);
      // decode.go mapping: the last merge key counts; its sources are decoded after the pairs.
      const merge = pairs.filter((p) => isMergeKey(p.key)).at(-1);
      if (merge)
        stack.push({
          kind: 'merge',
          parent: pairs,
          source: isNode(merge.value) ? merge.value : null,
          viaAlias,
          origin,
          depth,
          merged: frame.merged,
        });
      for (let i = pairs.length - 1; i >= 0; i--) {
        const pair = pairs[i]!;
        if (isMergeKey(pair.key)) continue;
        const keyTarget = isAlias(pair.key) ? resolveIn(anchors, pair.key) : undefined;
        if (keyTarget && !isScalar(keyTarget))
          return {
            offset: (pair.key as Node).range?.[0] ?? 0,
            message:
              'invalid map key: an alias of a sequence or mapping as a key; go-yaml (Flux reads YAML with it) accepts only scalar keys',
          };
        stack.push({ kind: 'pair', pair, viaAlias, origin, depth, merged: frame.merged });
      }
    }
  }
  return problem;
}
