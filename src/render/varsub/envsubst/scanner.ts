// A byte-for-byte port of the lexical scanner of fluxcd/pkg envsubst v1.7.0 (`envsubst/parse/scan.go`,
// forked from drone/envsubst), which kustomize-controller v1.9 uses through fluxcd/pkg kustomize v1.35.
// It is ported rather than re-imagined because its quirks are observable in Flux's output: `$$` is an
// escape only where the scanner's mode allows it, `skip()` deletes the escape character from the buffer,
// a NUL byte reads as end of input, and `unread()` steps back by the width of the last rune read (peek
// included). `origins` keeps the offset each remaining byte had in the input, so results can be mapped back.
import { decodeRune } from '../utf8.js';

/** Go's scanner returns rune 0 at the end of input, so a real NUL byte also ends it. */
export const EOF = 0;

export const TOKEN_ILLEGAL = 0;
export const TOKEN_EOF = 1;
export const TOKEN_IDENT = 2;
export const TOKEN_LBRACK = 3;
export const TOKEN_RBRACK = 4;
export type Token = 0 | 1 | 2 | 3 | 4;

export const SCAN_IDENT = 1;
export const SCAN_LBRACK = 2;
export const SCAN_RBRACK = 4;
export const SCAN_ESCAPE = 8;

export const ESCAPE_DOLLAR = 1;
export const ESCAPE_BACKSLASH = 2;
export const ESCAPE_ALL = ESCAPE_DOLLAR | ESCAPE_BACKSLASH;

/** Accepts or rejects rune `r` at byte distance `i` from the token start. */
export type AcceptFn = (r: number, i: number) => boolean;

export interface ScannedBytes {
  bytes: Uint8Array;
  /** Input byte offset of each byte. */
  origins: Int32Array;
}

export class Scanner {
  private readonly buf: Uint8Array;
  readonly origins: Int32Array;
  private length: number;
  pos = 0;
  start = 0;
  private width = 0;
  mode = 0;
  escapeChars = 0;
  accept: AcceptFn = () => true;

  constructor(input: Uint8Array) {
    this.buf = input.slice();
    this.length = input.length;
    this.origins = new Int32Array(input.length);
    for (let i = 0; i < input.length; i++) this.origins[i] = i;
  }

  read(): number {
    if (this.pos >= this.length) {
      this.width = 0;
      return EOF;
    }
    const [rune, width] = decodeRune(this.buf, this.pos, this.length);
    this.width = width;
    this.pos += width;
    return rune;
  }

  unread(): void {
    this.pos -= this.width;
  }

  /** Removes the byte before `pos` (the escape character just read); `pos` stays. */
  private skip(): void {
    this.buf.copyWithin(this.pos - 1, this.pos, this.length);
    this.origins.copyWithin(this.pos - 1, this.pos, this.length);
    this.length--;
  }

  peek(): number {
    const rune = this.read();
    this.unread();
    return rune;
  }

  /** The bytes of the token just scanned. */
  text(): ScannedBytes {
    return {
      bytes: this.buf.slice(this.start, this.pos),
      origins: this.origins.slice(this.start, this.pos),
    };
  }

  /** Input offset of the byte at `index` of the current buffer (the end of input past the last byte). */
  originAt(index: number, inputLength: number): number {
    return index < this.length ? this.origins[index]! : inputLength;
  }

  scan(): Token {
    this.start = this.pos;
    const rune = this.read();
    if (rune === EOF) return TOKEN_EOF;
    if (this.scanLbrack(rune)) return TOKEN_LBRACK;
    if (this.scanRbrack(rune)) return TOKEN_RBRACK;
    if (this.scanIdent(rune)) return TOKEN_IDENT;
    return TOKEN_ILLEGAL;
  }

  private scanIdent(first: number): boolean {
    if ((this.mode & SCAN_IDENT) === 0) return false;
    if (this.scanEscaped(first)) this.skip();
    else if (!this.accept(first, this.pos - this.start)) return false;
    for (;;) {
      const rune = this.read();
      if (rune === EOF) {
        this.unread();
        break;
      }
      if (this.scanLbrack(rune)) {
        this.unread();
        this.unread();
        break;
      }
      if (this.scanEscaped(rune)) {
        this.skip();
        continue;
      }
      if (!this.accept(rune, this.pos - this.start)) {
        this.unread();
        break;
      }
    }
    return true;
  }

  private scanLbrack(rune: number): boolean {
    if ((this.mode & SCAN_LBRACK) === 0) return false;
    if (rune === 0x24 /* $ */) {
      if (this.read() === 0x7b /* { */) return true;
      this.unread();
    }
    return false;
  }

  private scanRbrack(rune: number): boolean {
    if ((this.mode & SCAN_RBRACK) === 0) return false;
    return rune === 0x7d; /* } */
  }

  private scanEscaped(rune: number): boolean {
    if ((this.mode & SCAN_ESCAPE) === 0) return false;
    if (rune === 0x24 && (this.escapeChars & ESCAPE_DOLLAR) !== 0 && this.peek() === 0x24) return true;
    if (rune === 0x5c /* \ */ && (this.escapeChars & ESCAPE_BACKSLASH) !== 0) {
      const next = this.peek();
      return next === 0x2f /* / */ || next === 0x5c;
    }
    return false;
  }
}
