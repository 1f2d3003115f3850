import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, type Scalar } from 'yaml';
import { YAML_OPTIONS } from '../load/source-map.js';
import { SECRET_FIELDS } from './secret-objects.js';

/** How a source line inside a Secret's data is shown: its key kept (`value`), or nothing of it (`all`). */
export type LineRedaction = 'value' | 'all';

export interface SecretSource {
  /** 1-based line numbers inside a Secret's `data` / `stringData`. */
  lines: Map<number, LineRedaction>;
  /** The values those lines hold, as far as they can be read (a broken file too). */
  values: string[];
}

/** Whether a file may hold a Secret (YAML or JSON spelling): only those are looked at closely. */
export const MENTIONS_SECRET = /\bkind["']?\s*:\s*["']?Secret\b/;

const KIND_SECRET_LINE = /^\s*(?:-\s+)?["']?kind["']?\s*:\s*["']?Secret["']?\s*(?:#.*)?$/;
const DATA_KEY = /^(\s*(?:-\s+)*)(["']?)(data|stringData)\2\s*:(.*)$/;
const KEY_LINE = /^(\s*(?:-\s+)?(?:"[^"]*"|'[^']*'|[^\s#"'][^#]*?)\s*:)(?:\s+(.*))?$/;
const SEQUENCE_ITEM = /^\s*-(\s|$)/;
const DOCUMENT_MARKER = /^(---|\.\.\.)(\s|$)/;

function mark(lines: Map<number, LineRedaction>, line: number, how: LineRedaction): void {
  if (lines.get(line) !== 'all') lines.set(line, how);
}

const unquote = (text: string) => text.replace(/^(["'])(.*)\1$/, '$2');

/**
 * A Secret's data blocks found through the YAML nodes: a `kind: Secret` mapping anywhere (a
 * document, a `kind: List` item), whatever else is wrong in the file (a repeated key).
 */
function byNodes(text: string, out: SecretSource): void {
  const lineCounter = new LineCounter();
  // uniqueKeys compares every key with every earlier one: minutes for a mapping of 100,000 keys.
  const docs = parseAllDocuments(text, { ...YAML_OPTIONS, uniqueKeys: false, lineCounter });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  const scalars = (node: unknown) => {
    if (isScalar(node)) {
      const scalar = node as Scalar;
      if (scalar.value !== null && typeof scalar.value !== 'boolean') out.values.push(String(scalar.value));
      if (scalar.range) out.values.push(text.slice(scalar.range[0], scalar.range[1]));
    } else if (isMap(node) || isSeq(node))
      for (const item of node.items) scalars(isPair(item) ? item.value : item);
  };
  const block = (key: Node, value: Node | null) => {
    if (!value?.range) return;
    const first = lineOf(value.range[0]);
    const last = lineOf(Math.max(value.range[0], value.range[1] - 1));
    for (let line = first; line <= last; line++) mark(out.lines, line, 'all');
    // The key `data:` stays readable when the value starts on its line.
    if (key.range && lineOf(key.range[0]) === first) out.lines.set(first, 'value');
    else if (isMap(value) && !value.flow)
      for (const pair of value.items)
        if (isPair(pair) && isScalar(pair.key) && (pair.key as Node).range) {
          const line = lineOf((pair.key as Node).range![0]);
          const valueRange = (pair.value as Node | null)?.range;
          // A key whose value starts on its own line: the key is shown, the value hidden.
          if (!valueRange || lineOf(valueRange[0]) === line) out.lines.set(line, 'value');
        }
    scalars(value);
  };
  const visit = (node: unknown): void => {
    if (isSeq(node)) for (const item of node.items) visit(item);
    if (!isMap(node)) return;
    const secret = node.items.some(
      (p) =>
        isPair(p) &&
        isScalar(p.key) &&
        p.key.value === 'kind' &&
        isScalar(p.value) &&
        p.value.value === 'Secret',
    );
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      if (secret && isScalar(pair.key) && SECRET_FIELDS.includes(String(pair.key.value)))
        block(pair.key as Node, pair.value as Node | null);
      else visit(pair.value);
    }
  };
  for (const doc of Array.isArray(docs) ? docs : []) visit(doc.contents);
}

/**
 * The same blocks found by indentation, for what the parser cannot place: in a document that says
 * `kind: Secret`, everything below a `data:` / `stringData:` key that is indented deeper, or that is
 * not a key at all (a mis-indented continuation line), up to the next key at the key's level.
 */
function byIndentation(text: string, out: SecretSource): void {
  const lines = text.split(/\r?\n/);
  const indentOf = (line: string) => line.length - line.trimStart().length;
  const scan = (from: number, to: number) => {
    if (!lines.slice(from, to).some((l) => KIND_SECRET_LINE.test(l))) return;
    for (let i = from; i < to; i++) {
      const key = DATA_KEY.exec(lines[i]!);
      if (!key) continue;
      const level = key[1]!.length;
      const inline = key[4]!.replace(/\s#.*$/, '').trim();
      if (inline !== '' && !/^[|>&!]/.test(inline)) {
        mark(out.lines, i + 1, 'value');
        out.values.push(inline, unquote(inline));
      }
      let childIndent: number | undefined;
      let scalarIndent: number | undefined;
      let pending: number[] = [];
      for (let j = i + 1; j < to; j++) {
        const line = lines[j]!;
        const indent = indentOf(line);
        const comment = line.trimStart().startsWith('#');
        if (line.trim() === '' || (comment && indent <= level)) {
          pending.push(j);
          continue;
        }
        if (indent <= level && (KEY_LINE.test(line) || SEQUENCE_ITEM.test(line))) break;
        // Comments between lines of the block belong to it (an old value commented out).
        for (const p of pending) mark(out.lines, p + 1, 'all');
        pending = [];
        childIndent ??= indent;
        if (scalarIndent !== undefined && indent > scalarIndent) {
          mark(out.lines, j + 1, 'all');
          out.values.push(line.trim());
          continue;
        }
        scalarIndent = undefined;
        const entry = indent === childIndent && !comment ? KEY_LINE.exec(line) : null;
        if (!entry) {
          mark(out.lines, j + 1, 'all');
          out.values.push(line.trim());
          continue;
        }
        mark(out.lines, j + 1, 'value');
        const value = (entry[2] ?? '').replace(/\s#.*$/, '').trim();
        if (/^[|>]/.test(value)) scalarIndent = indent;
        else if (value !== '') out.values.push(value, unquote(value));
      }
    }
  };
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && !DOCUMENT_MARKER.test(lines[i]!)) continue;
    scan(start, i);
    start = i + 1;
  }
}

/**
 * Where a file's Secrets keep their values, by structure rather than by value: the lines of every
 * `data` / `stringData` block (through the YAML nodes, and by indentation for what a syntax error
 * hides), and the values read from them.
 */
export function secretSource(text: string): SecretSource {
  const out: SecretSource = { lines: new Map(), values: [] };
  if (!MENTIONS_SECRET.test(text)) return out;
  byNodes(text, out);
  byIndentation(text, out);
  return out;
}
