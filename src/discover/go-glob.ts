/**
 * Go's `path/filepath.Match` on Unix (Go 1.26, src/path/filepath/match.go), ported byte for byte:
 * fluxcd/pkg's sourceignore decides every path of a Flux artifact with it, so its corner cases
 * (escapes, `[^...]` classes, malformed patterns, multi-byte names) must be Go's, not a glob
 * library's. Works on UTF-8 bytes as Go does; a malformed pattern matches nothing (callers in
 * fluxcd/pkg treat the error as no match).
 */

const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const RUNE_ERROR = 0xfffd;

class BadPattern extends Error {}

// Answers by pattern, then name: a source's patterns are tried against every path component of
// every file, and the same names (kustomization.yaml, a base's file names) come back in every
// directory. The byte-wise match is pure, so a remembered answer is the answer.
const answers = new Map<string, Map<string, boolean>>();
const MAX_ANSWERS = 100_000;
let remembered = 0;

/** Whether `name` matches the shell pattern; false for a malformed pattern. */
export function goMatch(pattern: string, name: string): boolean {
  let byName = answers.get(pattern);
  const known = byName?.get(name);
  if (known !== undefined) return known;
  let matched: boolean;
  try {
    matched = match(Buffer.from(pattern, 'utf8'), Buffer.from(name, 'utf8'));
  } catch (error) {
    if (!(error instanceof BadPattern)) throw error;
    matched = false;
  }
  if (remembered >= MAX_ANSWERS) {
    answers.clear();
    remembered = 0;
    byName = undefined;
  }
  if (!byName) {
    byName = new Map();
    answers.set(pattern, byName);
  }
  byName.set(name, matched);
  remembered++;
  return matched;
}

function match(pattern: Buffer, name: Buffer): boolean {
  chunks: while (pattern.length > 0) {
    const scanned = scanChunk(pattern);
    const { star, chunk } = scanned;
    pattern = scanned.rest;
    if (star && chunk.length === 0) return !name.includes(SLASH);
    const first = matchChunk(chunk, name);
    if (first !== undefined && (first.length === 0 || pattern.length > 0)) {
      name = first;
      continue;
    }
    if (star) {
      for (let i = 0; i < name.length && name[i] !== SLASH; i++) {
        const t = matchChunk(chunk, name.subarray(i + 1));
        if (t !== undefined) {
          if (pattern.length === 0 && t.length > 0) continue;
          name = t;
          continue chunks;
        }
      }
    }
    return false;
  }
  return name.length === 0;
}

function scanChunk(pattern: Buffer): { star: boolean; chunk: Buffer; rest: Buffer } {
  let star = false;
  while (pattern.length > 0 && pattern[0] === 0x2a) {
    pattern = pattern.subarray(1);
    star = true;
  }
  let inRange = false;
  for (let i = 0; i < pattern.length; i++) {
    switch (pattern[i]) {
      case BACKSLASH:
        if (i + 1 < pattern.length) i++;
        break;
      case 0x5b:
        inRange = true;
        break;
      case 0x5d:
        inRange = false;
        break;
      case 0x2a:
        if (!inRange) return { star, chunk: pattern.subarray(0, i), rest: pattern.subarray(i) };
        break;
    }
  }
  return { star, chunk: pattern, rest: Buffer.alloc(0) };
}

/** The rest of `s` after `chunk` matched its start; undefined when it does not. Throws BadPattern. */
function matchChunk(chunk: Buffer, s: Buffer): Buffer | undefined {
  let failed = false;
  while (chunk.length > 0) {
    failed ||= s.length === 0;
    const c = chunk[0];
    if (c === 0x5b) {
      let r = 0;
      if (!failed) {
        const [rune, n] = decodeRune(s);
        r = rune;
        s = s.subarray(n);
      }
      chunk = chunk.subarray(1);
      let negated = false;
      if (chunk.length > 0 && chunk[0] === 0x5e) {
        negated = true;
        chunk = chunk.subarray(1);
      }
      let matched = false;
      let ranges = 0;
      for (;;) {
        if (chunk.length > 0 && chunk[0] === 0x5d && ranges > 0) {
          chunk = chunk.subarray(1);
          break;
        }
        const low = getEsc(chunk);
        chunk = low.rest;
        let hi = low.rune;
        if (chunk[0] === 0x2d) {
          const high = getEsc(chunk.subarray(1));
          chunk = high.rest;
          hi = high.rune;
        }
        matched ||= low.rune <= r && r <= hi;
        ranges++;
      }
      failed ||= matched === negated;
    } else if (c === 0x3f) {
      if (!failed) {
        failed = s[0] === SLASH;
        s = s.subarray(decodeRune(s)[1]);
      }
      chunk = chunk.subarray(1);
    } else {
      if (c === BACKSLASH) {
        chunk = chunk.subarray(1);
        if (chunk.length === 0) throw new BadPattern();
      }
      if (!failed) {
        failed = chunk[0] !== s[0];
        s = s.subarray(1);
      }
      chunk = chunk.subarray(1);
    }
  }
  return failed ? undefined : s;
}

function getEsc(chunk: Buffer): { rune: number; rest: Buffer } {
  if (chunk.length === 0 || chunk[0] === 0x2d || chunk[0] === 0x5d) throw new BadPattern();
  if (chunk[0] === BACKSLASH) {
    chunk = chunk.subarray(1);
    if (chunk.length === 0) throw new BadPattern();
  }
  const [rune, n] = decodeRune(chunk);
  const rest = chunk.subarray(n);
  if ((rune === RUNE_ERROR && n === 1) || rest.length === 0) throw new BadPattern();
  return { rune, rest };
}

/** utf8.DecodeRuneInString: the first rune and its width; RuneError and width 1 when invalid. */
function decodeRune(s: Buffer): [number, number] {
  if (s.length === 0) return [RUNE_ERROR, 0];
  const b0 = s[0]!;
  if (b0 < 0x80) return [b0, 1];
  const need = b0 >= 0xf0 && b0 <= 0xf4 ? 4 : b0 >= 0xe0 ? 3 : b0 >= 0xc2 && b0 < 0xe0 ? 2 : 0;
  if (need === 0 || s.length < need) return [RUNE_ERROR, 1];
  let rune = b0 & (need === 2 ? 0x1f : need === 3 ? 0x0f : 0x07);
  for (let i = 1; i < need; i++) {
    const b = s[i]!;
    if ((b & 0xc0) !== 0x80) return [RUNE_ERROR, 1];
    rune = (rune << 6) | (b & 0x3f);
  }
  const min = need === 2 ? 0x80 : need === 3 ? 0x800 : 0x10000;
  if (rune < min || rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff)) return [RUNE_ERROR, 1];
  return [rune, need];
}
