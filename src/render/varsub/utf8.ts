// Go strings are byte strings: drone/envsubst and go-yaml index, measure and slice them in UTF-8 bytes.
// These helpers let the ports below work on the same bytes, and convert offsets back to the UTF-16
// indices JavaScript strings (and the `yaml` package's node ranges) use.

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export const RUNE_ERROR = 0xfffd;

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes like Go's `string([]rune(...))` round trip: invalid bytes become U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictDecoder.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Go's utf8.DecodeRune: the rune at `pos` and its width; (U+FFFD, 1) for an invalid sequence,
 * (U+FFFD, 0) at the end.
 */
export function decodeRune(bytes: Uint8Array, pos: number, end = bytes.length): [number, number] {
  if (pos >= end) return [RUNE_ERROR, 0];
  const b0 = bytes[pos]!;
  if (b0 < 0x80) return [b0, 1];
  const need = b0 >= 0xf0 && b0 <= 0xf4 ? 4 : b0 >= 0xe0 ? 3 : b0 >= 0xc2 && b0 < 0xe0 ? 2 : 0;
  if (need === 0 || pos + need > end) return [RUNE_ERROR, 1];
  let rune = b0 & (need === 2 ? 0x1f : need === 3 ? 0x0f : 0x07);
  for (let k = 1; k < need; k++) {
    const b = bytes[pos + k]!;
    if ((b & 0xc0) !== 0x80) return [RUNE_ERROR, 1];
    rune = (rune << 6) | (b & 0x3f);
  }
  const min = need === 2 ? 0x80 : need === 3 ? 0x800 : 0x10000;
  if (rune < min || rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff)) return [RUNE_ERROR, 1];
  return [rune, need];
}

/** The runes of a byte string, as Go's `[]rune(s)` gives them. */
export function runesOfBytes(bytes: Uint8Array): number[] {
  const runes: number[] = [];
  for (let pos = 0; pos < bytes.length; ) {
    const [rune, width] = decodeRune(bytes, pos);
    runes.push(rune);
    pos += width;
  }
  return runes;
}

export function encodeRunes(runes: readonly number[]): Uint8Array {
  return encodeUtf8(String.fromCodePoint(...runes));
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * For each UTF-8 byte offset of `text` (0..byteLength inclusive), the UTF-16 index it starts at;
 * an offset inside a multi-byte sequence maps to the index of that character.
 */
export function byteToUtf16Table(text: string): Int32Array {
  const table = new Int32Array(encoder.encode(text).length + 1);
  let byte = 0;
  let unit = 0;
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    const width = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < width; k++) table[byte + k] = unit;
    byte += width;
    unit += char.length;
  }
  table[byte] = unit;
  return table;
}

// Go's unicode.IsLetter / unicode.IsDigit, which drone/envsubst uses for identifiers.
const letter = /^\p{L}$/u;
const digit = /^\p{Nd}$/u;

export function isGoLetter(rune: number): boolean {
  if (rune < 0x80) return (rune >= 0x41 && rune <= 0x5a) || (rune >= 0x61 && rune <= 0x7a);
  return letter.test(String.fromCodePoint(rune));
}

export function isGoDigit(rune: number): boolean {
  if (rune >= 0x30 && rune <= 0x39) return true;
  return rune >= 0x80 && digit.test(String.fromCodePoint(rune));
}
