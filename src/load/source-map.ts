import { isMap, isPair, isScalar, isSeq, type LineCounter, type Node, Scalar } from 'yaml';
import { parseYaml, YAML_OPTIONS } from './parse-yaml.js';

export { YAML_OPTIONS };

export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A file parsed with node ranges, built only for files that carry findings. */
export interface SourceMap {
  /** Root nodes of the file's non-empty documents, indexed like Resource.docIndex. */
  documents: (Node | null)[];
  lineCounter: LineCounter;
  /** The text (a pointer may go on into YAML written in a block scalar). */
  text?: string;
}

/** Parsed as the load stage parses (parse-yaml.ts), so document indexes agree. */
export function buildSourceMap(text: string): SourceMap {
  const { documents: docs, lineCounter } = parseYaml(text);
  const documents = docs
    .filter(({ doc }) => doc.contents !== null)
    .map(({ doc }) => doc.contents as Node | null);
  return { documents, lineCounter, text };
}

/**
 * A pointer that goes on into YAML written in a literal block scalar (a ConfigMap's `values.yaml:
 * |` that a HelmRelease reads): the range inside it, in the outer file's lines and columns.
 * Undefined when the text is not YAML that holds the rest of the pointer's path.
 */
function locateInBlock(
  map: SourceMap,
  node: Scalar,
  rest: readonly string[],
  options: { key?: boolean },
): Range | undefined {
  if (node.type !== Scalar.BLOCK_LITERAL || typeof node.value !== 'string' || !map.text || !node.range)
    return undefined;
  const newline = map.text.indexOf('\n', node.range[0]);
  if (newline < 0 || newline >= node.range[1]) return undefined;
  const first = /^( *)\S/m.exec(map.text.slice(newline + 1, node.range[1]));
  if (!first) return undefined;
  const indent = first[1]!.length;
  const inner = buildSourceMap(node.value);
  const pointer = rest.map((s) => `/${s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
  const range = locate(inner, 0, pointer, options);
  if (!range) return undefined;
  const top = map.lineCounter.linePos(newline + 1).line - 1;
  return {
    line: top + range.line,
    column: range.column + indent,
    endLine: top + range.endLine,
    endColumn: range.endColumn + indent,
  };
}

/** Splits a JSON pointer (RFC 6901) into unescaped segments. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function rangeOf(map: SourceMap, start: number, end: number): Range {
  const a = map.lineCounter.linePos(start);
  const b = map.lineCounter.linePos(Math.max(start, end));
  return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

function nodeRange(map: SourceMap, node: Node): Range | undefined {
  return node.range ? rangeOf(map, node.range[0], node.range[1]) : undefined;
}

/**
 * Maps a JSON pointer in a document to a source range. When the pointer does not exist
 * (a missing field), the nearest existing ancestor is used; never line 0. With `key`, a
 * pointer to a mapping entry gives the key's range (unknown fields are reported at their key).
 */
export function locate(
  map: SourceMap,
  docIndex: number,
  pointer: string,
  options: { key?: boolean } = {},
): Range | undefined {
  const root = map.documents[docIndex];
  if (!root) return undefined;
  let node: Node = root;
  let best = nodeRange(map, root);
  const segments = parsePointer(pointer);
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    let next: Node | undefined;
    let keyNode: Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment);
      if (pair && isPair(pair)) {
        keyNode = pair.key as Node;
        next = (pair.value as Node | null) ?? undefined;
      }
    } else if (isSeq(node)) {
      const index = Number(segment);
      const item = Number.isInteger(index) ? node.items[index] : undefined;
      next = (item as Node | undefined) ?? undefined;
    }
    if (last && options.key && keyNode) return nodeRange(map, keyNode) ?? best;
    // `key:` with nothing after it: the empty value has no text to point at.
    if (keyNode && isScalar(next) && next.value === null && next.range?.[0] === next.range?.[1])
      next = undefined;
    if (!next) return keyNode ? (nodeRange(map, keyNode) ?? best) : best;
    node = next;
    best = nodeRange(map, node) ?? best;
    if (!last && isScalar(node)) return locateInBlock(map, node, segments.slice(i + 1), options) ?? best;
  }
  return best;
}

/**
 * An error the parser only notices at the end of input (an unclosed bracket or quote) is
 * reported at the last line with content before it, where the user typed.
 */
export function errorRange(text: string, lineCounter: LineCounter, pos: [number, number]) {
  let at = Math.min(pos[0], text.length);
  while (at > 0 && /\s/.test(text[at - 1]!) && /^\s*$/.test(text.slice(at))) at--;
  const start = lineCounter.linePos(at === pos[0] ? at : Math.max(0, at - 1));
  const end = at === pos[0] ? lineCounter.linePos(pos[1]) : lineCounter.linePos(at);
  return { start, end };
}
