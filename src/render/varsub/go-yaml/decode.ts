// What sigs.k8s.io/yaml v1.6 YAMLToJSON returns for the substituted text: go-yaml v2 Unmarshal into
// interface{} (first document only; plain scalars resolved by YAML 1.1 rules, quoted and block scalars
// are strings; `<<` merge keys applied; later duplicate keys win), then convertToJSONableObject (int,
// float and bool map keys become strings, float keys formatted at 32-bit precision, null keys fail),
// then json.Marshal (NaN and infinities fail). The text is parsed with the `yaml` package and every
// scalar's meaning is decided here, so the parser's own schema never applies.
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  parseAllDocuments,
  type Scalar,
} from 'yaml';
import { MAX_DEPTH } from '../../../load/yaml-limits.js';
import { childPointer } from '../json-pointer.js';
import { formatFloatG } from './format-float.js';
import { checkLibyamlCompat, LibyamlError } from './libyaml-checks.js';
import { type ResolvedValue, ResolveError, resolve } from './resolve.js';

export interface DecodedNode {
  /** JSON pointer in the decoded value; for a key, the pointer of its member. */
  pointer: string;
  key: boolean;
  /** UTF-16 range of the node in the text. */
  start: number;
  end: number;
  scalar: boolean;
}

export type Decoded = { ok: true; value: unknown; nodes: DecodedNode[] } | { ok: false; message: string };

class DecodeError extends Error {}

export function goYamlToJson(source: string): Decoded {
  const { text, restore } = protectYaml11Breaks(source);
  const docs = parseAllDocuments(text, {
    version: '1.1',
    schema: 'failsafe',
    uniqueKeys: false,
    prettyErrors: false,
    strict: false,
  });
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  if (!doc) return { ok: true, value: null, nodes: [] };
  // go-yaml reads the root node of the first document and stops: what follows a root node that ended
  // early (a root scalar, or a root mapping a value indented past column 0, then a dedented line) is
  // never looked at. A block mapping at column 0 only ends at the end of the text.
  const root = doc.contents as Node | null;
  const rootStart = root?.range?.[0] ?? 0;
  const column = rootStart - (text.lastIndexOf('\n', rootStart - 1) + 1);
  const endsEarly =
    root != null && (isScalar(root) || (root as { flow?: boolean }).flow === true || column > 0);
  const rootEnd = endsEarly ? (root.range?.[2] ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
  const error = doc.errors.find((e) => e.pos[0] < rootEnd);
  if (error) return { ok: false, message: `yaml: ${error.message.split('\n')[0]}` };
  const nodes: DecodedNode[] = [];
  try {
    const value = new Decoder(doc, nodes, text, restore).decode(doc.contents as Node | null, '', false);
    return { ok: true, value, nodes };
  } catch (e) {
    if (e instanceof ResolveError) return { ok: false, message: `yaml: ${e.message}` };
    if (e instanceof DecodeError || e instanceof LibyamlError) return { ok: false, message: e.message };
    throw e;
  }
}

type Key =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number | bigint; float: boolean }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

class Decoder {
  private depth = 0;

  constructor(
    private readonly doc: Document,
    private readonly nodes: DecodedNode[],
    private readonly text: string,
    private readonly restore: (text: string) => string,
  ) {}

  private record(node: Node, pointer: string, key: boolean): void {
    const range = node.range;
    if (range) this.nodes.push({ pointer, key, start: range[0], end: range[1], scalar: isScalar(node) });
  }

  decode(node: Node | null | undefined, pointer: string, key: boolean, block = true): unknown {
    if (node == null) return null;
    // go-yaml's own limit (yaml-limits.ts); the CLI's thread has the stack for it.
    if (++this.depth > MAX_DEPTH) throw new DecodeError(`yaml: exceeded max depth of ${MAX_DEPTH}`);
    try {
      this.record(node, pointer, key);
      checkLibyamlCompat(this.text, node, block);
      if (isAlias(node)) {
        const target = node.resolve(this.doc);
        if (!target) throw new DecodeError(`yaml: unknown anchor '${node.source}' referenced`);
        return this.decode(target as Node, pointer, key);
      }
      if (isScalar(node)) return jsonScalar(resolveScalar(node, this.restore));
      if (isSeq(node)) {
        return node.items.map((item, index) =>
          this.decode(item as Node, childPointer(pointer, index), false, !node.flow),
        );
      }
      if (isMap(node)) return this.mapping(node.items, pointer, {}, !node.flow);
      return null;
    } finally {
      this.depth--;
    }
  }

  private mapping(
    items: readonly unknown[],
    pointer: string,
    into: Record<string, unknown> = {},
    block = true,
  ): Record<string, unknown> {
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      if (isMergeKey(keyNode)) {
        this.merge(pair.value as Node | null, pointer, into);
        continue;
      }
      const key = this.mapKey(keyNode);
      const member = childPointer(pointer, key);
      if (keyNode) {
        this.record(keyNode, member, true);
        checkLibyamlCompat(this.text, keyNode, block);
      }
      setMember(into, key, this.decode(pair.value as Node | null, member, false, block));
    }
    return into;
  }

  /** decode.go merge: a mapping, an alias to one, or a sequence of them (earlier ones win). */
  private merge(node: Node | null, pointer: string, into: Record<string, unknown>): void {
    const target = node && isAlias(node) ? (node.resolve(this.doc) as Node | undefined) : node;
    const fail = () => {
      throw new DecodeError('yaml: map merge requires map or sequence of maps as the value');
    };
    if (target && isMap(target)) {
      this.mapping(target.items, pointer, into);
    } else if (target && isSeq(target)) {
      for (const item of [...target.items].reverse()) {
        const map = isAlias(item) ? (item.resolve(this.doc) as Node | undefined) : (item as Node);
        if (!map || !isMap(map)) fail();
        else this.mapping(map.items, pointer, into);
      }
    } else {
      fail();
    }
  }

  private mapKey(node: Node | null): string {
    if (node == null) throw new DecodeError('unsupported map key of type: %!s(<nil>), key: <nil>');
    const resolved = isAlias(node) ? (node.resolve(this.doc) as Node | undefined) : node;
    if (!resolved || !isScalar(resolved)) throw new DecodeError('yaml: invalid map key');
    return stringKey(keyOf(resolveScalar(resolved, this.restore)));
  }
}

function isMergeKey(node: Node | null): boolean {
  if (!node || !isScalar(node) || node.value !== '<<') return false;
  return (node.type === 'PLAIN' && !node.tag) || node.tag === 'tag:yaml.org,2002:merge';
}

function resolveScalar(node: Scalar, restore: (text: string) => string): ResolvedValue {
  const text = restore(String(node.value ?? ''));
  const tag = node.tag ?? '';
  // decode.go: a scalar without tag that was not plain (quoted, block) is a string.
  if (tag === '' && node.type !== 'PLAIN') return { kind: 'str', value: text };
  if (tag === '!') return { kind: 'str', value: text };
  return resolve(tag, text);
}

function jsonScalar(value: ResolvedValue): unknown {
  switch (value.kind) {
    case 'null':
      return null;
    case 'bool':
      return value.value;
    case 'int':
      return Number(value.value);
    case 'float':
      if (!Number.isFinite(value.value))
        throw new DecodeError(`json: unsupported value: ${formatFloatG(value.value, 64)}`);
      return value.value;
    case 'merge':
      return '<<';
    default:
      return value.value;
  }
}

/**
 * What break-scalars.ts cannot rewrite (a scalar with such a break and a substitution) gets a best
 * effort: each run of U+0085/U+2028/U+2029 and the blanks around it become private-use placeholders of
 * the same length, put back after parsing, so the break is kept and the indentation after it dropped as
 * go-yaml does; at the start of a line the blanks stay in front, as the block's indentation.
 */
function protectYaml11Breaks(source: string): { text: string; restore: (text: string) => string } {
  if (!/[\u0085\u2028\u2029]/.test(source)) return { text: source, restore: (text) => text };
  const free: string[] = [];
  for (let cp = 0xe000; free.length < 4 && cp <= 0xf8ff; cp++) {
    const c = String.fromCodePoint(cp);
    if (!source.includes(c)) free.push(c);
  }
  const [nel, ls, ps, fill] = free as [string, string, string, string];
  const placeholder: Record<string, string> = { '\u0085': nel, '\u2028': ls, '\u2029': ps };
  const original: Record<string, string> = { [nel]: '\u0085', [ls]: '\u2028', [ps]: '\u2029', [fill]: '' };
  const text = source.replace(
    /([ \t]*)([\u0085\u2028\u2029]+)([ \t]*)/g,
    (_, before: string, breaks: string, after: string, offset: number) => {
      const marks = [...breaks].map((c) => placeholder[c]!).join('');
      // Blanks before a break in a flow scalar are dropped by go-yaml, like those after it.
      if (before === '' && (offset === 0 || source[offset - 1] === '\n')) return after + marks;
      return fill.repeat(before.length) + marks + fill.repeat(after.length);
    },
  );
  const pattern = new RegExp(`[${nel}${ls}${ps}${fill}]`, 'g');
  return { text, restore: (value) => value.replace(pattern, (c) => original[c]!) };
}

function keyOf(value: ResolvedValue): Key {
  switch (value.kind) {
    case 'null':
      return { kind: 'null' };
    case 'bool':
      return { kind: 'bool', value: value.value };
    case 'int':
      return { kind: 'number', value: value.value, float: false };
    case 'float':
      return { kind: 'number', value: value.value, float: true };
    case 'merge':
      return { kind: 'string', value: '<<' };
    case 'binary':
      return { kind: 'string', value: value.value };
    default:
      return { kind: 'string', value: value.value };
  }
}

/** convertToJSONableObject's key conversion. */
function stringKey(key: Key): string {
  switch (key.kind) {
    case 'string':
      return key.value;
    case 'bool':
      return String(key.value);
    case 'null':
      throw new DecodeError('unsupported map key of type: %!s(<nil>), key: <nil>');
    case 'number': {
      if (!key.float) {
        if (typeof key.value === 'bigint' && key.value > 0x7fffffffffffffffn) {
          throw new DecodeError(`unsupported map key of type: uint64, key: 0x${key.value.toString(16)}`);
        }
        return String(key.value);
      }
      const s = formatFloatG(Number(key.value), 32);
      return s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
    }
  }
}

function setMember(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}
