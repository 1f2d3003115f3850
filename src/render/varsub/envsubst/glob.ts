// A port of fluxcd/pkg envsubst `path/match.go`: Go's path.Match, modified so that `*` and `?` also match
// `/` and a trailing `*` matches the rest of the string. It works on bytes (Go strings), decoding runes
// only for `?` and character classes, so patterns cut inside a multi-byte rune behave as in Go.
import { decodeRune, RUNE_ERROR } from '../utf8.js';

const STAR = 0x2a;
const QUESTION = 0x3f;
const BACKSLASH = 0x5c;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;

export class BadPatternError extends Error {
  constructor() {
    super('syntax error in pattern');
  }
}

/** Whether `name` matches `pattern` entirely; throws BadPatternError for a malformed pattern. */
export function globMatch(pattern: Uint8Array, name: Uint8Array): boolean {
  let pat = pattern;
  let rest = name;
  outer: while (pat.length > 0) {
    const { star, chunk, after } = scanChunk(pat);
    pat = after;
    if (star && chunk.length === 0) return true;
    const first = matchChunk(chunk, rest);
    if (first.ok && (first.rest.length === 0 || pat.length > 0)) {
      rest = first.rest;
      continue;
    }
    if (first.err) throw new BadPatternError();
    if (star) {
      for (let i = 0; i < rest.length; i++) {
        const next = matchChunk(chunk, rest.subarray(i + 1));
        if (next.ok) {
          if (pat.length === 0 && next.rest.length > 0) continue;
          rest = next.rest;
          continue outer;
        }
        if (next.err) throw new BadPatternError();
      }
    }
    return false;
  }
  return rest.length === 0;
}

function scanChunk(pattern: Uint8Array): { star: boolean; chunk: Uint8Array; after: Uint8Array } {
  let pat = pattern;
  let star = false;
  while (pat.length > 0 && pat[0] === STAR) {
    pat = pat.subarray(1);
    star = true;
  }
  let inRange = false;
  let i = 0;
  scan: for (; i < pat.length; i++) {
    switch (pat[i]) {
      case BACKSLASH:
        if (i + 1 < pat.length) i++;
        break;
      case LBRACKET:
        inRange = true;
        break;
      case RBRACKET:
        inRange = false;
        break;
      case STAR:
        if (!inRange) break scan;
    }
  }
  return { star, chunk: pat.subarray(0, i), after: pat.subarray(i) };
}

interface ChunkResult {
  rest: Uint8Array;
  ok: boolean;
  err: boolean;
}

const noMatch = (err = false): ChunkResult => ({ rest: new Uint8Array(), ok: false, err });

function matchChunk(chunkIn: Uint8Array, sIn: Uint8Array): ChunkResult {
  let chunk = chunkIn;
  let s = sIn;
  while (chunk.length > 0) {
    if (s.length === 0) return noMatch();
    switch (chunk[0]) {
      case LBRACKET: {
        const [r, n] = decodeRune(s, 0);
        s = s.subarray(n);
        chunk = chunk.subarray(1);
        let notNegated = true;
        if (chunk.length > 0 && chunk[0] === CARET) {
          notNegated = false;
          chunk = chunk.subarray(1);
        }
        let match = false;
        let ranges = 0;
        for (;;) {
          if (chunk.length > 0 && chunk[0] === RBRACKET && ranges > 0) {
            chunk = chunk.subarray(1);
            break;
          }
          const lo = getEsc(chunk);
          if (lo.err) return noMatch(true);
          chunk = lo.rest;
          let hi = lo.rune;
          if (chunk[0] === DASH) {
            const h = getEsc(chunk.subarray(1));
            if (h.err) return noMatch(true);
            hi = h.rune;
            chunk = h.rest;
          }
          if (lo.rune <= r && r <= hi) match = true;
          ranges++;
        }
        if (match !== notNegated) return noMatch();
        break;
      }
      case QUESTION: {
        const [, n] = decodeRune(s, 0);
        s = s.subarray(n);
        chunk = chunk.subarray(1);
        break;
      }
      default: {
        if (chunk[0] === BACKSLASH) {
          chunk = chunk.subarray(1);
          if (chunk.length === 0) return noMatch(true);
        }
        if (chunk[0] !== s[0]) return noMatch();
        s = s.subarray(1);
        chunk = chunk.subarray(1);
      }
    }
  }
  return { rest: s, ok: true, err: false };
}

function getEsc(chunkIn: Uint8Array): { rune: number; rest: Uint8Array; err: boolean } {
  let chunk = chunkIn;
  const bad = { rune: 0, rest: chunk, err: true };
  if (chunk.length === 0 || chunk[0] === DASH || chunk[0] === RBRACKET) return bad;
  if (chunk[0] === BACKSLASH) {
    chunk = chunk.subarray(1);
    if (chunk.length === 0) return bad;
  }
  const [rune, n] = decodeRune(chunk, 0);
  const rest = chunk.subarray(n);
  const err = (rune === RUNE_ERROR && n === 1) || rest.length === 0;
  return { rune, rest, err };
}
