// The string functions of fluxcd/pkg envsubst v1.7.0 `funcs.go` and their lookup in `template.go`.
// Values are Go strings, i.e. bytes: `${#v}` is a byte length and `${v:o:l}` slices bytes.
// Surprises worth knowing, all from the source:
// - every default operator is `toDefault`: the default is used when the value is EMPTY, whether set or
//   not, so `${v=d}` behaves like `${v:=d}` and `${v:+alt}` yields the value when it is non-empty and
//   `alt` only when it is empty (the opposite of the shell);
// - `${v/p/r}` and `${v//p/r}` replace a literal substring, not a pattern; `${v/#p/r}` and `${v/%p/r}`
//   need a replacement (`${v/#p/}` leaves the value unchanged);
// - `${v%p}` and `${v%%p}` reverse the value AND the pattern before matching, so character classes
//   and escapes in `p` are reversed too;
// - an unknown operator (e.g. `${v^,}`) returns the value unchanged.
import { concatBytes, decodeRune, decodeUtf8, encodeRunes, encodeUtf8, runesOfBytes } from '../utf8.js';
import { toLowerRune, toUpperRune } from './case-mapping.js';
import { globMatch } from './glob.js';

export type StringFunc = (value: Uint8Array, args: readonly Uint8Array[]) => Uint8Array;

/** A Go runtime panic (slice bounds) inside a string function; Flux's reconcile fails with it. */
export class GoPanicError extends Error {
  constructor(message: string) {
    super(`runtime error: ${message}`);
    this.name = 'GoPanicError';
  }
}

const ascii = (text: string): Uint8Array => encodeUtf8(text);

const toLen: StringFunc = (s) => ascii(String(s.length));
const toLower: StringFunc = (s) => encodeRunes(runesOfBytes(s).map(toLowerRune));
const toUpper: StringFunc = (s) => encodeRunes(runesOfBytes(s).map(toUpperRune));

function mapFirstRune(s: Uint8Array, map: (rune: number) => number): Uint8Array {
  if (s.length === 0) return s;
  const [rune, width] = decodeRune(s, 0);
  return concatBytes([encodeRunes([map(rune)]), s.subarray(width)]);
}

const toLowerFirst: StringFunc = (s) => mapFirstRune(s, toLowerRune);
const toUpperFirst: StringFunc = (s) => mapFirstRune(s, toUpperRune);

const toDefault: StringFunc = (s, args) => (s.length === 0 && args.length > 0 ? concatBytes(args) : s);

/** Go's strconv.Atoi: optional sign, ASCII digits, within int64. */
function atoi(bytes: Uint8Array): number | undefined {
  const text = decodeUtf8(bytes);
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text);
  if (value > 0x7fffffffffffffffn || value < -0x8000000000000000n) return undefined;
  return Number(value);
}

const toSubstr: StringFunc = (s, args) => {
  if (args.length === 0) return s;
  let pos = atoi(args[0]!);
  // bash returns the string when the position or length cannot be parsed; so does envsubst.
  if (pos === undefined) return s;
  if (pos < 0) pos = Math.max(0, s.length + pos);
  if (args.length === 1) return pos < s.length ? s.slice(pos) : new Uint8Array();
  const length = atoi(args[1]!);
  if (length === undefined) return s;
  if (pos + length >= s.length) return pos < s.length ? s.slice(pos) : new Uint8Array();
  // A negative length makes Go slice s[pos:pos+length] with high < low, which panics.
  if (pos + length < 0) throw new GoPanicError(`slice bounds out of range [:${pos + length}]`);
  if (length < 0) throw new GoPanicError(`slice bounds out of range [${pos}:${pos + length}]`);
  return s.slice(pos, pos + length);
};

function indexOf(s: Uint8Array, sub: Uint8Array, from = 0): number {
  outer: for (let i = from; i + sub.length <= s.length; i++) {
    for (let k = 0; k < sub.length; k++) if (s[i + k] !== sub[k]) continue outer;
    return i;
  }
  return -1;
}

/** Go's strings.Replace(s, old, replacement, n) with n = 1 or -1 (all). */
function goReplace(s: Uint8Array, old: Uint8Array, replacement: Uint8Array, all: boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  if (old.length === 0) {
    // An empty `old` matches at the start and after each rune.
    parts.push(replacement);
    let pos = 0;
    while (pos < s.length) {
      const [, width] = decodeRune(s, pos);
      parts.push(s.subarray(pos, pos + width));
      pos += width;
      if (!all) {
        parts.push(s.subarray(pos));
        return concatBytes(parts);
      }
      parts.push(replacement);
    }
    return concatBytes(parts);
  }
  let pos = 0;
  for (;;) {
    const at = indexOf(s, old, pos);
    if (at < 0) break;
    parts.push(s.subarray(pos, at), replacement);
    pos = at + old.length;
    if (!all) break;
  }
  parts.push(s.subarray(pos));
  return concatBytes(parts);
}

const empty = new Uint8Array();

const replaceAll: StringFunc = (s, args) =>
  args.length === 0 ? s : goReplace(s, args[0]!, args[1] ?? empty, true);
const replaceFirst: StringFunc = (s, args) =>
  args.length === 0 ? s : goReplace(s, args[0]!, args[1] ?? empty, false);

const startsWith = (s: Uint8Array, prefix: Uint8Array): boolean =>
  prefix.length <= s.length && indexOf(s.subarray(0, prefix.length), prefix) === 0;
const endsWith = (s: Uint8Array, suffix: Uint8Array): boolean =>
  suffix.length <= s.length && indexOf(s.subarray(s.length - suffix.length), suffix) === 0;

const replacePrefix: StringFunc = (s, args) => {
  if (args.length !== 2) return s;
  return startsWith(s, args[0]!) ? goReplace(s, args[0]!, args[1]!, false) : s;
};

const replaceSuffix: StringFunc = (s, args) => {
  if (args.length !== 2) return s;
  return endsWith(s, args[0]!) ? concatBytes([s.subarray(0, s.length - args[0]!.length), args[1]!]) : s;
};

/** Go's reverse: by runes, invalid bytes becoming U+FFFD. */
const reverse = (s: Uint8Array): Uint8Array => encodeRunes(runesOfBytes(s).reverse());

function trimShortest(s: Uint8Array, pattern: Uint8Array): Uint8Array {
  let shortest = -1;
  for (let i = 0; i < s.length; i++) {
    try {
      if (globMatch(pattern, s.subarray(0, s.length - i))) shortest = s.length - i;
    } catch {
      return s;
    }
  }
  return shortest > 0 ? s.slice(shortest) : s;
}

function trimLongest(s: Uint8Array, pattern: Uint8Array): Uint8Array {
  for (let i = 0; i < s.length; i++) {
    try {
      if (globMatch(pattern, s.subarray(0, s.length - i))) return s.slice(s.length - i);
    } catch {
      return s;
    }
  }
  return s;
}

const trimShortestPrefix: StringFunc = (s, args) => (args.length === 0 ? s : trimShortest(s, args[0]!));
const trimLongestPrefix: StringFunc = (s, args) => (args.length === 0 ? s : trimLongest(s, args[0]!));
const trimShortestSuffix: StringFunc = (s, args) =>
  args.length === 0 ? s : reverse(trimShortest(reverse(s), reverse(args[0]!)));
const trimLongestSuffix: StringFunc = (s, args) =>
  args.length === 0 ? s : reverse(trimLongest(reverse(s), reverse(args[0]!)));

/** template.go isDefaultOp: operators that tolerate an unset variable in strict mode. */
export function isDefaultOp(name: string): boolean {
  return ['-', '+', '=', '?', ':-', ':+', ':=', ':?'].includes(name);
}

/** template.go lookupFunc. */
export function lookupFunc(name: string, argCount: number): StringFunc {
  switch (name) {
    case ',':
      return toLowerFirst;
    case ',,':
      return toLower;
    case '^':
      return toUpperFirst;
    case '^^':
      return toUpper;
    case '#':
      return argCount === 0 ? toLen : trimShortestPrefix;
    case '##':
      return trimLongestPrefix;
    case '%':
      return trimShortestSuffix;
    case '%%':
      return trimLongestSuffix;
    case ':':
      return toSubstr;
    case '/#':
      return replacePrefix;
    case '/%':
      return replaceSuffix;
    case '/':
      return replaceFirst;
    case '//':
      return replaceAll;
    default:
      return toDefault;
  }
}
