// A port of fluxcd/pkg envsubst v1.7.0 `parse/parse.go` (forked from drone/envsubst). The grammar is
// what the scanner modes make it, so the structure follows the Go functions one to one:
// - text: `$$` is an escape for `$` (so `$${x}` stays `${x}`), a lone `$` or `$var` is literal text;
//   only `${...}` is an expression;
// - `${name}`, `${#name}`, `${name^}` `${name^^}` `${name,}` `${name,,}` (any 1-2 of `^`/`,`),
//   `${name:off}` `${name:off:len}`, `${name#p}` `${name##p}` `${name%p}` `${name%%p}`,
//   `${name/p/r}` `${name//p/r}` `${name/#p/r}` `${name/%p/r}` (`\/`, `\\`, `$$` escapes in p and r),
//   `${name=d}` `${name:=d}` `${name:-d}` `${name:?d}` `${name:+d}`; arguments may nest `${...}`.
// - `${name-d}`, `${name+d}`, `${name?d}` are NOT parsed: the name must be followed by one of
//   `: = , ^ / # %` or `}`, else "missing closing brace".
import { decodeUtf8 } from '../utf8.js';
import * as A from './accept.js';
import { EnvsubstSyntaxError, type FuncNode, type Node, PARSE_ERRORS, type TextNode } from './nodes.js';
import {
  type AcceptFn,
  ESCAPE_ALL,
  ESCAPE_DOLLAR,
  SCAN_ESCAPE,
  SCAN_IDENT,
  SCAN_LBRACK,
  SCAN_RBRACK,
  Scanner,
  TOKEN_EOF,
  TOKEN_IDENT,
  TOKEN_LBRACK,
  TOKEN_RBRACK,
} from './scanner.js';

const ch = (char: string): number => char.charCodeAt(0);

export function parseTemplate(input: Uint8Array): Node[] {
  return new Parser(input).parseAny();
}

class Parser {
  private readonly scanner: Scanner;
  /** Offsets of the `${` of the expressions being parsed, innermost last, for error positions. */
  private readonly open: number[] = [];

  constructor(private readonly input: Uint8Array) {
    this.scanner = new Scanner(input);
  }

  private fail(message: string): never {
    throw new EnvsubstSyntaxError(message, this.open.at(-1) ?? 0);
  }

  private tokenText(): TextNode {
    const { bytes, origins } = this.scanner.text();
    return { kind: 'text', bytes, origins };
  }

  /** parseAny, iterative: Go recurses once per token, which would overflow on large documents. */
  parseAny(): Node[] {
    const nodes: Node[] = [];
    const s = this.scanner;
    for (;;) {
      s.accept = A.acceptRune;
      s.mode = SCAN_IDENT | SCAN_LBRACK | SCAN_ESCAPE;
      s.escapeChars = ESCAPE_DOLLAR;
      const token = s.scan();
      if (token === TOKEN_IDENT) nodes.push(this.tokenText());
      else if (token === TOKEN_LBRACK) nodes.push(this.parseFuncAt());
      else if (token === TOKEN_EOF) return nodes;
      else this.fail(PARSE_ERRORS.badSubstitution);
    }
  }

  /** Parses the expression whose `${` was just scanned, recording its input range. */
  private parseFuncAt(): FuncNode {
    const s = this.scanner;
    const start = s.originAt(s.start, this.input.length);
    this.open.push(start);
    const node = this.parseFunc();
    this.open.pop();
    node.start = start;
    node.end = s.originAt(s.pos - 1, this.input.length) + 1;
    return node;
  }

  private newFunc(param: string, name = ''): FuncNode {
    return { kind: 'func', param, name, args: [], start: 0, end: 0 };
  }

  private scanWith(accept: AcceptFn, mode: number): number {
    this.scanner.accept = accept;
    this.scanner.mode = mode;
    return this.scanner.scan();
  }

  private tokenString(): string {
    return decodeUtf8(this.scanner.text().bytes);
  }

  private parseFunc(): FuncNode {
    const s = this.scanner;
    s.escapeChars = ESCAPE_ALL;
    if (s.peek() === ch('#')) return this.parseLenFunc();
    if (this.scanWith(A.acceptIdent, SCAN_IDENT) !== TOKEN_IDENT) this.fail(PARSE_ERRORS.parseVariableName);
    const name = this.tokenString();
    switch (s.peek()) {
      case ch(':'):
        return this.parseDefaultOrSubstr(name);
      case ch('='):
        return this.parseDefaultFunc(name);
      case ch(','):
      case ch('^'):
        return this.parseCasingFunc(name);
      case ch('/'):
        return this.parseReplaceFunc(name);
      case ch('#'):
        return this.parseRemoveFunc(name, A.acceptHashFunc);
      case ch('%'):
        return this.parseRemoveFunc(name, A.acceptPercentFunc);
    }
    if (this.scanWith(A.acceptIdent, SCAN_RBRACK) !== TOKEN_RBRACK)
      this.fail(PARSE_ERRORS.missingClosingBrace);
    return this.newFunc(name);
  }

  private parseParam(accept: AcceptFn, mode: number): Node {
    const token = this.scanWith(accept, mode | SCAN_LBRACK);
    if (token === TOKEN_LBRACK) return this.parseFuncAt();
    if (token === TOKEN_IDENT || token === TOKEN_RBRACK) return this.tokenText();
    return this.fail(PARSE_ERRORS.parseFuncSubstitution);
  }

  private parseDefaultOrSubstr(name: string): FuncNode {
    const s = this.scanner;
    s.read();
    const next = s.peek();
    // Go steps back by the width of the peeked rune, not of ':' (a multi-byte rune after ':' misplaces it).
    s.unread();
    if (next === ch('=') || next === ch('-') || next === ch('?') || next === ch('+')) {
      return this.parseDefaultFunc(name);
    }
    return this.parseSubstrFunc(name);
  }

  private parseSubstrFunc(param: string): FuncNode {
    const node = this.newFunc(param);
    if (this.scanWith(A.acceptOneColon, SCAN_IDENT) !== TOKEN_IDENT) this.fail(PARSE_ERRORS.badSubstitution);
    node.name = this.tokenString();
    node.args.push(this.parseParam(A.rejectColonClose, SCAN_IDENT));
    const token = this.scanWith(A.acceptColon, SCAN_IDENT | SCAN_RBRACK);
    if (token === TOKEN_RBRACK) return node;
    if (token !== TOKEN_IDENT) this.fail(PARSE_ERRORS.badSubstitution);
    node.args.push(this.parseParam(A.acceptNotClosing, SCAN_IDENT));
    return this.consumeRbrack(node);
  }

  private parseRemoveFunc(param: string, accept: AcceptFn): FuncNode {
    const node = this.newFunc(param);
    if (this.scanWith(accept, SCAN_IDENT) !== TOKEN_IDENT) this.fail(PARSE_ERRORS.badSubstitution);
    node.name = this.tokenString();
    node.args.push(this.parseParam(A.acceptNotClosing, SCAN_IDENT));
    return this.consumeRbrack(node);
  }

  private parseReplaceFunc(param: string): FuncNode {
    const node = this.newFunc(param);
    if (this.scanWith(A.acceptReplaceFunc, SCAN_IDENT) !== TOKEN_IDENT)
      this.fail(PARSE_ERRORS.badSubstitution);
    node.name = this.tokenString();
    node.args.push(this.parseParam(A.acceptNotSlash, SCAN_IDENT | SCAN_ESCAPE));
    if (this.scanWith(A.acceptSlash, SCAN_IDENT) !== TOKEN_IDENT) this.fail(PARSE_ERRORS.badSubstitution);
    if (this.scanner.peek() === ch('}')) return this.consumeRbrack(node);
    node.args.push(this.parseParam(A.acceptNotClosing, SCAN_IDENT | SCAN_ESCAPE));
    return this.consumeRbrack(node);
  }

  private parseDefaultFunc(param: string): FuncNode {
    const s = this.scanner;
    const node = this.newFunc(param);
    const accept = s.peek() === ch('=') ? A.acceptOneEqual : A.acceptDefaultFunc;
    if (this.scanWith(accept, SCAN_IDENT) !== TOKEN_IDENT) this.fail(PARSE_ERRORS.parseDefaultFunction);
    node.name = this.tokenString();
    while (s.peek() !== ch('}')) node.args.push(this.parseParam(A.acceptNotClosing, SCAN_IDENT));
    return this.consumeRbrack(node);
  }

  private parseCasingFunc(param: string): FuncNode {
    const node = this.newFunc(param);
    if (this.scanWith(A.acceptCasingFunc, SCAN_IDENT) !== TOKEN_IDENT)
      this.fail(PARSE_ERRORS.badSubstitution);
    node.name = this.tokenString();
    return this.consumeRbrack(node);
  }

  private parseLenFunc(): FuncNode {
    const node = this.newFunc('');
    if (this.scanWith(A.acceptOneHash, SCAN_IDENT) !== TOKEN_IDENT) this.fail(PARSE_ERRORS.badSubstitution);
    node.name = this.tokenString();
    if (this.scanWith(A.acceptIdent, SCAN_IDENT) !== TOKEN_IDENT) this.fail(PARSE_ERRORS.badSubstitution);
    node.param = this.tokenString();
    return this.consumeRbrack(node);
  }

  private consumeRbrack(node: FuncNode): FuncNode {
    this.scanner.mode = SCAN_RBRACK;
    if (this.scanner.scan() !== TOKEN_RBRACK) this.fail(PARSE_ERRORS.badSubstitution);
    return node;
  }
}
