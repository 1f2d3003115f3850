/**
 * Decodes a manifest as go-yaml's reader does (readerc.go): UTF-8, with or without a byte order
 * mark, or UTF-16 with one. Bytes that are not valid in that encoding make go-yaml refuse the whole
 * file ("invalid leading UTF-8 octet", "incomplete UTF-8 octet sequence"...): `invalid` says where
 * the first one is, so a binary or latin-1 file saved as `.yaml` is a finding at its line, never a
 * silent pass. The text is still returned, with U+FFFD for what did not decode.
 */
export interface DecodedSource {
  text: string;
  invalid?: { offset: number; message: string; ruleId?: 'yaml/too-large' };
}

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

function encodingOf(bytes: Uint8Array): { encoding: Encoding; skip: number } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', skip: 3 };
  return { encoding: 'utf-8', skip: 0 };
}

export function decodeSource(bytes: Uint8Array): DecodedSource {
  const { encoding, skip } = encodingOf(bytes);
  const body = bytes.subarray(skip);
  try {
    return { text: new TextDecoder(encoding, { fatal: true }).decode(body) };
  } catch {
    const text = new TextDecoder(encoding).decode(body);
    const bad = encoding === 'utf-8' ? firstInvalidUtf8(body) : firstInvalidUtf16(body, encoding);
    // The bytes before the first bad one decode exactly: their length is the text offset.
    const offset = new TextDecoder(encoding).decode(body.subarray(0, bad)).length;
    const what =
      encoding === 'utf-8'
        ? `byte 0x${(body[bad] ?? 0).toString(16).padStart(2, '0')} is not valid UTF-8`
        : 'an unpaired UTF-16 surrogate';
    return {
      text,
      invalid: {
        offset,
        message: `${what}: Flux reads YAML as UTF-8 (or UTF-16 with a byte order mark) and refuses this file; save it as UTF-8`,
      },
    };
  }
}

/** Index of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

/** Index of the first code unit of an unpaired surrogate (or a trailing odd byte). */
function firstInvalidUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): number {
  const unit = (i: number) =>
    encoding === 'utf-16le' ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!;
  let i = 0;
  while (i + 1 < bytes.length) {
    const u = unit(i);
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i + 3 >= bytes.length) return i;
      const next = unit(i + 2);
      if (next < 0xdc00 || next > 0xdfff) return i;
      i += 4;
    } else if (u >= 0xdc00 && u <= 0xdfff) return i;
    else i += 2;
  }
  return i;
}
