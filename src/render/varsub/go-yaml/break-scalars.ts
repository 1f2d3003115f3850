// go-yaml (YAML 1.1) reads U+0085, U+2028 and U+2029 as line breaks, and its emitter writes them raw in
// single-quoted and literal scalars, followed by indentation that its parser drops again. The `yaml`
// package (YAML 1.2) reads them as ordinary characters and so gets a different string, or an error.
// A scalar the substitution left untouched must decode to the original string, so such scalars are
// rewritten as equivalent double-quoted scalars before parsing. So is a literal block with substitutions:
// its content is verbatim, so its value is the substituted string. (A quoted or plain scalar with both
// such a character and a `${...}`, or a variable value holding one, is parsed as YAML 1.2 would: a
// known gap.)
import { substitute } from '../substitute.js';
import type { Replacement, SubstituteOptions, Vars } from '../types.js';
import type { ScalarSpan } from './emit.js';
import { isPrintable } from './scalar-analysis.js';

const yaml11Break = /[\u0085\u2028\u2029]/;

const escapes: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\u0085': '\\N',
  '\u2028': '\\L',
  '\u2029': '\\P',
};

export function doubleQuoted(value: string): string {
  let out = '"';
  for (const char of value) {
    const cp = char.codePointAt(0)!;
    const named = escapes[char];
    if (named) out += named;
    else if (isPrintable(cp)) out += char;
    else if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

interface Segment {
  /** Range in the rewritten text and the output range it stands for. */
  newStart: number;
  oldStart: number;
  oldEnd: number;
  rewritten: boolean;
}

export interface Rewritten {
  text: string;
  /** Maps an offset of the rewritten text to the substitution output. */
  toOutput(offset: number): number;
}

export function rewriteBreakScalars(
  output: string,
  spans: readonly ScalarSpan[],
  replacements: readonly Replacement[],
  vars: Vars,
  options: SubstituteOptions,
): Rewritten {
  const targets = spans.filter((span) => yaml11Break.test(span.value));
  if (targets.length === 0) return { text: output, toOutput: (offset) => offset };
  const pieces: string[] = [];
  const segments: Segment[] = [];
  let cursor = 0;
  let written = 0;
  let r = 0;
  let shift = 0;
  const copy = (end: number) => {
    segments.push({ newStart: written, oldStart: cursor, oldEnd: end, rewritten: false });
    pieces.push(output.slice(cursor, end));
    written += end - cursor;
    cursor = end;
  };
  const delta = (rep: Replacement) => rep.outputEnd - rep.outputStart - (rep.inputEnd - rep.inputStart);
  for (const span of targets) {
    while (r < replacements.length && replacements[r]!.inputEnd <= span.start)
      shift += delta(replacements[r++]!);
    const inside: Replacement[] = [];
    for (let k = r; k < replacements.length && replacements[k]!.inputStart < span.end; k++)
      inside.push(replacements[k]!);
    // The value is known when only `$$` escapes touch the scalar, or when it is a literal block.
    const substituted = inside.some((rep) => rep.vars.length > 0);
    if (substituted && span.style !== 'literal') continue;
    const start = span.start + shift;
    const end = span.end + shift + inside.reduce((sum, rep) => sum + delta(rep), 0);
    if (start < cursor) continue;
    copy(start);
    const value = inside.length > 0 ? substitute(span.value, vars, options).output : span.value;
    // A block scalar's text ends with a line break (U+2028 too, for go-yaml), which the next line needs.
    const quoted =
      doubleQuoted(value) + (/[\n\u0085\u2028\u2029]$/.test(output.slice(start, end)) ? '\n' : '');
    segments.push({ newStart: written, oldStart: start, oldEnd: end, rewritten: true });
    pieces.push(quoted);
    written += quoted.length;
    cursor = end;
  }
  copy(output.length);
  const text = pieces.join('');
  const toOutput = (offset: number): number => {
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segments[mid]!.newStart <= offset) lo = mid;
      else hi = mid - 1;
    }
    const seg = segments[lo]!;
    if (seg.rewritten) return offset === seg.newStart ? seg.oldStart : seg.oldEnd;
    return Math.min(seg.oldStart + (offset - seg.newStart), seg.oldEnd);
  };
  return { text, toOutput };
}
