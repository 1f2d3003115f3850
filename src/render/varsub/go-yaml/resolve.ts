// go-yaml v2.4 `resolve.go` (go.yaml.in/yaml/v2, used by sigs.k8s.io/yaml v1.6 in Flux): how a plain
// scalar (or an explicitly tagged one) becomes a typed value. YAML 1.1 rules: yes/no/on/off/y/n are
// booleans, a leading 0 means octal, `0b` binary, `1_000` is 1000, `~` and the empty string are null.
import { goParseBinary, goParseInt, goParseUint } from './go-parse-int.js';
import { isGoYamlTimestamp } from './timestamp.js';

export const TAG_PREFIX = 'tag:yaml.org,2002:';
export const STR_TAG = `${TAG_PREFIX}str`;
const BOOL_TAG = `${TAG_PREFIX}bool`;
const INT_TAG = `${TAG_PREFIX}int`;
const FLOAT_TAG = `${TAG_PREFIX}float`;
const NULL_TAG = `${TAG_PREFIX}null`;
const TIMESTAMP_TAG = `${TAG_PREFIX}timestamp`;
const BINARY_TAG = `${TAG_PREFIX}binary`;
const MERGE_TAG = `${TAG_PREFIX}merge`;

export type ResolvedValue =
  | { kind: 'str'; value: string }
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'timestamp'; value: string }
  | { kind: 'merge' }
  /** `!!binary`: decoded from base64 (go-yaml fails on invalid data). */
  | { kind: 'binary'; value: string }
  /** A tag go-yaml does not resolve (e.g. `!foo`): the text stays a string. */
  | { kind: 'other'; tag: string; value: string };

const table = new Map<string, ResolvedValue>();
const add = (value: ResolvedValue, names: string[]) => {
  for (const name of names) table.set(name, value);
};
add({ kind: 'bool', value: true }, ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
add({ kind: 'bool', value: false }, [
  'n',
  'N',
  'no',
  'No',
  'NO',
  'false',
  'False',
  'FALSE',
  'off',
  'Off',
  'OFF',
]);
add({ kind: 'null' }, ['', '~', 'null', 'Null', 'NULL']);
add({ kind: 'float', value: Number.NaN }, ['.nan', '.NaN', '.NAN']);
add({ kind: 'float', value: Number.POSITIVE_INFINITY }, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']);
add({ kind: 'float', value: Number.NEGATIVE_INFINITY }, ['-.inf', '-.Inf', '-.INF']);
add({ kind: 'merge' }, ['<<']);

const tagOf: Record<ResolvedValue['kind'], string> = {
  str: STR_TAG,
  null: NULL_TAG,
  bool: BOOL_TAG,
  int: INT_TAG,
  float: FLOAT_TAG,
  timestamp: TIMESTAMP_TAG,
  merge: MERGE_TAG,
  binary: BINARY_TAG,
  other: '',
};

const yamlStyleFloat = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

function hint(text: string): string {
  if (text === '') return 'N';
  const c = text[0]!;
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  return c === '.' ? '.' : '';
}

/** A finite float, as Go's ParseFloat accepts it for these inputs (overflow is an error). */
function parseFloat64(text: string): number | undefined {
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function resolveImplicit(text: string, tag: string): ResolvedValue {
  const h = hint(text);
  if (h === '' || tag === STR_TAG || tag === BINARY_TAG) return { kind: 'str', value: text };
  const known = table.get(text);
  if (known) return known;
  if (h === '.') {
    const value = /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) ? parseFloat64(text) : undefined;
    if (value !== undefined) return { kind: 'float', value };
  }
  if (h === 'D' || h === 'S') {
    if ((tag === '' || tag === TIMESTAMP_TAG) && isGoYamlTimestamp(text))
      return { kind: 'timestamp', value: text };
    const plain = text.replaceAll('_', '');
    const int = goParseInt(plain) ?? goParseUint(plain);
    if (int !== undefined) return { kind: 'int', value: int };
    if (yamlStyleFloat.test(plain)) {
      const value = parseFloat64(plain);
      if (value !== undefined) return { kind: 'float', value };
    }
    if (plain.startsWith('0b') || plain.startsWith('-0b')) {
      const bin = goParseBinary(plain.startsWith('-') ? `-${plain.slice(3)}` : plain.slice(2));
      if (bin !== undefined) return { kind: 'int', value: bin };
    }
  }
  return { kind: 'str', value: text };
}

const resolvable = new Set(['', STR_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG, NULL_TAG, TIMESTAMP_TAG]);

export class ResolveError extends Error {}

/**
 * go-yaml's resolve(tag, in): `tag` is '' for an untagged plain scalar, else the full tag. Throws
 * ResolveError where go-yaml fails ("cannot decode !!str `abc` as a !!int").
 */
export function resolve(tag: string, text: string): ResolvedValue {
  if (tag === BINARY_TAG) return { kind: 'binary', value: decodeBinary(text) };
  if (!resolvable.has(tag)) return { kind: 'other', tag, value: text };
  const resolved = resolveImplicit(text, tag);
  const rtag = tagOf[resolved.kind];
  if (tag === '' || tag === rtag || tag === STR_TAG || tag === BINARY_TAG) {
    return tag === STR_TAG ? { kind: 'str', value: text } : resolved;
  }
  if (tag === FLOAT_TAG && resolved.kind === 'int') return { kind: 'float', value: Number(resolved.value) };
  throw new ResolveError(`cannot decode ${shortTag(rtag)} \`${text}\` as a ${shortTag(tag)}`);
}

export function shortTag(tag: string): string {
  return tag.startsWith(TAG_PREFIX) ? `!!${tag.slice(TAG_PREFIX.length)}` : tag;
}

/** Whether go-yaml's encoder may write `text` as a plain scalar (it quotes anything that resolves otherwise). */
export function resolvesToString(text: string): boolean {
  return resolveImplicit(text, '').kind === 'str';
}

/** Go's base64.StdEncoding.DecodeString, which skips CR and LF but nothing else. */
function decodeBinary(text: string): string {
  const compact = text.replace(/[\r\n]/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw new ResolveError('!!binary value contains invalid base64 data');
  }
  return Buffer.from(compact, 'base64').toString('utf8');
}
