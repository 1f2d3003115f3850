// Go's strconv.ParseInt(s, 0, 64) and ParseUint(s, 0, 64), which go-yaml v2 uses to resolve integers:
// base prefixes 0x, 0o, 0b, and a leading 0 for octal (so `0777` is 511 and `08` is not an integer).

const INT64_MAX = 0x7fffffffffffffffn;
const INT64_MIN = -0x8000000000000000n;
const UINT64_MAX = 0xffffffffffffffffn;

function parseMagnitude(digits: string): bigint | undefined {
  const prefixed = /^0([xXoObB])(.+)$/.exec(digits);
  if (prefixed) {
    const base = prefixed[1]!.toLowerCase();
    const body = prefixed[2]!;
    const valid = base === 'x' ? /^[0-9a-fA-F]+$/ : base === 'o' ? /^[0-7]+$/ : /^[01]+$/;
    return valid.test(body) ? BigInt(`0${base}${body}`) : undefined;
  }
  if (/^0[0-7]*$/.test(digits)) return digits.length > 1 ? BigInt(`0o${digits.slice(1)}`) : 0n;
  return /^[1-9][0-9]*$/.test(digits) ? BigInt(digits) : undefined;
}

/** ParseInt(s, 0, 64): undefined on a syntax or range error. */
export function goParseInt(text: string): bigint | undefined {
  const sign = text.startsWith('-') ? -1n : 1n;
  const digits = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  const magnitude = parseMagnitude(digits);
  if (magnitude === undefined) return undefined;
  const value = sign * magnitude;
  return value > INT64_MAX || value < INT64_MIN ? undefined : value;
}

/** ParseUint(s, 0, 64): no sign allowed. */
export function goParseUint(text: string): bigint | undefined {
  const magnitude = parseMagnitude(text);
  return magnitude === undefined || magnitude > UINT64_MAX ? undefined : magnitude;
}

/** ParseInt(s, 2, 64). */
export function goParseBinary(text: string): bigint | undefined {
  const negative = text.startsWith('-');
  const digits = negative || text.startsWith('+') ? text.slice(1) : text;
  if (!/^[01]+$/.test(digits)) return undefined;
  const value = (negative ? -1n : 1n) * BigInt(`0b${digits}`);
  return value > INT64_MAX || value < INT64_MIN ? undefined : value;
}
