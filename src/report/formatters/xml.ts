import { replaceCodePoints } from './code-points.js';

/**
 * XML 1.0 escaping (https://www.w3.org/TR/xml/). §2.2 allows only #x9, #xA, #xD, #x20-#xD7FF,
 * #xE000-#xFFFD and #x10000-#x10FFFF, even as character references (`&#1;` is not well-formed), so
 * any other code point (C0 controls, lone surrogates, U+FFFE/U+FFFF) is written as a visible `\uXXXX`.
 */
function legal(text: string): string {
  return replaceCodePoints(
    text,
    (c) =>
      c === 0x9 ||
      c === 0xa ||
      c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      c >= 0x10000,
  );
}

const TEXT: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
// In attributes, tabs and line breaks are references: a parser normalises literal ones to spaces (§3.3.3).
const ATTRIBUTE: Record<string, string> = { ...TEXT, '"': '&quot;', '\t': '&#9;', '\n': '&#10;' };

/** Character data; `\r` as a reference, since parsers turn a literal CR into LF (§2.11). */
export function xmlText(text: string): string {
  return legal(text).replace(/[&<>\r]/g, (c) => TEXT[c]!);
}

/** A double-quoted attribute value. */
export function xmlAttribute(text: string): string {
  return legal(text).replace(/[&<>"\t\n\r]/g, (c) => ATTRIBUTE[c]!);
}
