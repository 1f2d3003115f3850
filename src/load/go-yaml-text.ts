// Text-level rules of go-yaml (what Flux reads YAML with) that JavaScript's YAML parsers do not
// share, and cheap tests that tell which files need the careful, slower read.
import { MAX_DOCUMENT_BYTES, MAX_IMPLICIT_KEY } from './yaml-limits.js';

/**
 * Characters go-yaml's reader refuses anywhere in a file, comments included (readerc.go: only
 * TAB, LF, CR, U+0020-U+007E, U+0085, U+00A0-U+D7FF, U+E000-U+FFFD and U+10000 and above).
 */
const FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The offset of the first character go-yaml refuses, and a message naming it. */
export function forbiddenCharacter(text: string): { offset: number; message: string } | undefined {
  const match = FORBIDDEN.exec(text);
  if (!match) return undefined;
  const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return {
    offset: match.index,
    message: `control character U+${code}: go-yaml (Flux's YAML reader) refuses the file ("control characters are not allowed"); write it as an escape in a double-quoted string`,
  };
}

/**
 * Where each document of a file starts and ends. A line starting with `---` or `...` (then a
 * blank or the end of the line) ends a document wherever it is, even inside a quoted scalar (YAML
 * 1.2 `c-forbidden`), so documents can be split without parsing.
 */
export function documentSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  const marker = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
  let start = 0;
  for (let m = marker.exec(text); m; m = marker.exec(text)) {
    spans.push({ start, end: m.index });
    start = m.index;
  }
  spans.push({ start, end: text.length });
  return spans;
}

/** UTF-8 length of a part of a string, stopping early once past `limit`. */
export function utf8Length(text: string, start: number, end: number, limit = Number.POSITIVE_INFINITY) {
  let bytes = 0;
  for (let i = start; i < end && bytes <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      bytes += 4; // a surrogate pair: one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Documents whose text is longer than MAX_DOCUMENT_BYTES. */
export function oversizedDocuments(text: string): { start: number; end: number; bytes: number }[] {
  // Each UTF-16 unit is at most 3 bytes: a text this short holds no document past the bound.
  if (text.length * 3 <= MAX_DOCUMENT_BYTES) return [];
  const out: { start: number; end: number; bytes: number }[] = [];
  for (const span of documentSpans(text)) {
    if ((span.end - span.start) * 3 <= MAX_DOCUMENT_BYTES) continue;
    const bytes = utf8Length(text, span.start, span.end);
    if (bytes > MAX_DOCUMENT_BYTES) out.push({ ...span, bytes });
  }
  return out;
}

/** Replaces parts of a text by blank lines, so lines and offsets elsewhere stay where they were. */
export function blankOut(text: string, spans: readonly { start: number; end: number }[]): string {
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start);
    // Keep a `---` that starts the span: the documents around it stay apart.
    const head = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/.exec(text.slice(span.start, span.start + 4))?.[0] ?? '';
    out += head + text.slice(span.start + head.length, span.end).replace(/[^\n]+/g, '');
    at = span.end;
  }
  return out + text.slice(at);
}

/** Whether a line is longer than an implicit key may be (a scan: a regex `[^\n]{1025}` retries at every character). */
function hasLongLine(text: string): boolean {
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    if (stop - start > MAX_IMPLICIT_KEY) return true;
    start = stop + 1;
  }
  return false;
}

/**
 * Whether the text may define an anchor, as loosely as can be (CEL's `x && y` matches too): the
 * fast read then checks that no alias repeated a collection (load-file.ts), since aliases must be
 * counted as go-yaml counts them.
 */
export function mayHoldAnchors(text: string): boolean {
  return /(?:^|[ \t\-[{,:?])&[^ \t\r\n,[\]{}]/m.test(text);
}

/**
 * Whether a file needs the careful read (the `yaml` package's syntax tree and go-yaml's rules)
 * rather than the fast one (js-yaml), which accepts what go-yaml refuses: directives (`%YAML 1.2`,
 * unknown ones), keys that are collections (`[a, b]: c`, `? `), implicit keys past 1024
 * characters, surrogate escapes (`"\ud800"`) and tabs that may indent a block scalar (anchors:
 * mayHoldAnchors). A false positive only costs time.
 */
export function needsCarefulRead(text: string): boolean {
  return (
    /^%/m.test(text) ||
    /[\]}][ \t]*:(?:[ \t\r\n]|$)/.test(text) ||
    // An explicit key where one can stand: at a line's indentation, after a sequence dash, a
    // key's colon or a tag, or in a flow collection; not inside text (CEL rules in CRDs are full
    // of `a ? b : c`).
    /(?:^[ \t]*|[-:?][ \t]+|![^ \t\r\n]*[ \t]+|[[{,][ \t]*)\?(?:[ \t\r\n]|$)/m.test(text) ||
    /\\(?:u|U0000)[dD][89a-fA-F]/.test(text) ||
    (text.includes('\t') && /^ *\t/m.test(text) && /[|>]/.test(text)) ||
    hasLongLine(text)
  );
}
