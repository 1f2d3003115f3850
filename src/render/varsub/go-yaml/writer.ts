// The output half of go-yaml v2.4 `emitterc.go`: column and indentation bookkeeping and the four scalar
// writers JSONToYAML can reach (plain, single-quoted, double-quoted, literal). Long plain and quoted
// scalars are folded at spaces past column 80 (go-yaml v2.4 wraps by default; this assumes nothing in the
// kustomize-controller binary calls yaml.FutureLineWrap), which matters when a fold lands in a `${...}`.
import { isBreak, isPrintable, type ScalarStyle } from './scalar-analysis.js';

const BEST_WIDTH = 80;
export const BEST_INDENT = 2;

export class YamlWriter {
  private readonly chunks: string[] = [];
  /** UTF-16 length written so far. */
  offset = 0;
  /** Columns count runes, as go-yaml counts them. */
  column = 0;
  whitespace = true;
  indention = true;
  indent = -1;
  private readonly indents: number[] = [];

  text(): string {
    return this.chunks.join('');
  }

  private write(c: number): void {
    const s = String.fromCodePoint(c);
    this.chunks.push(s);
    this.offset += s.length;
    this.column++;
  }

  private put(char: string): void {
    this.chunks.push(char);
    this.offset += char.length;
    this.column++;
  }

  putBreak(): void {
    this.chunks.push('\n');
    this.offset++;
    this.column = 0;
  }

  private writeBreak(c: number): void {
    if (c === 0x0a) {
      this.putBreak();
    } else {
      this.write(c);
      this.column = 0;
    }
  }

  increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  popIndent(): void {
    this.indent = this.indents.pop() ?? -1;
  }

  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace))
      this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  writeIndicator(
    indicator: string,
    needWhitespace: boolean,
    isWhitespace: boolean,
    isIndention: boolean,
  ): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    for (const c of indicator) this.put(c);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  /** Writes a scalar in `style`; returns the UTF-16 range of the scalar's own text. */
  writeScalar(cps: readonly number[], style: ScalarStyle, allowBreaks: boolean): [number, number] {
    let start = this.offset;
    switch (style) {
      case 'plain':
        if (!this.whitespace) this.put(' ');
        start = this.offset;
        this.writePlain(cps, allowBreaks);
        break;
      case 'single':
        start = this.startIndicator("'");
        this.writeSingleQuoted(cps, allowBreaks);
        break;
      case 'double':
        start = this.startIndicator('"');
        this.writeDoubleQuoted(cps, allowBreaks);
        break;
      case 'literal':
        start = this.startIndicator('|');
        this.writeLiteral(cps);
        break;
    }
    return [start, this.offset];
  }

  private startIndicator(indicator: string): number {
    const start = this.offset + (this.whitespace ? 0 : 1);
    this.writeIndicator(indicator, true, false, false);
    return start;
  }

  private writePlain(cps: readonly number[], allowBreaks: boolean): void {
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && cps[i + 1] !== 0x20) this.writeIndent();
        else this.write(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.write(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(cps: readonly number[], allowBreaks: boolean): void {
    let spaces = false;
    let breaks = false;
    const last = cps.length - 1;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (c === 0x20) {
        const fold = allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < last;
        if (fold && cps[i + 1] !== 0x20) this.writeIndent();
        else this.write(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) this.put("'");
        this.write(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(cps: readonly number[], allowBreaks: boolean): void {
    let spaces = false;
    // go-yaml's is_bom looks at the first bytes of the whole value, so a leading U+FEFF escapes every rune.
    const bom = cps[0] === 0xfeff;
    const last = cps.length - 1;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (!isPrintable(c) || bom || isBreak(c) || c === 0x22 || c === 0x5c) {
        this.put('\\');
        for (const e of escapeOf(c)) this.put(e);
        spaces = false;
      } else if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < last) {
          this.writeIndent();
          if (cps[i + 1] === 0x20) this.put('\\');
        } else {
          this.write(c);
        }
        spaces = true;
      } else {
        this.write(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(cps: readonly number[]): void {
    if (cps[0] === 0x20 || isBreak(cps[0])) this.writeIndicator(String(BEST_INDENT), false, false, false);
    const n = cps.length;
    let chomp = '';
    if (n === 0 || !isBreak(cps[n - 1])) chomp = '-';
    else if (n === 1 || isBreak(cps[n - 2])) chomp = '+';
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of cps) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.write(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

const namedEscapes = new Map<number, string>([
  [0x00, '0'],
  [0x07, 'a'],
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0b, 'v'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [0x1b, 'e'],
  [0x22, '"'],
  [0x5c, '\\'],
  [0x85, 'N'],
  [0xa0, '_'],
  [0x2028, 'L'],
  [0x2029, 'P'],
]);

function escapeOf(c: number): string {
  const named = namedEscapes.get(c);
  if (named) return named;
  const [prefix, width] = c <= 0xff ? ['x', 2] : c <= 0xffff ? ['u', 4] : ['U', 8];
  return prefix + c.toString(16).toUpperCase().padStart(width, '0');
}
