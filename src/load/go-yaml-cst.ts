// go-yaml's syntax rules that the `yaml` package does not enforce, checked on its syntax tree (CST)
// of one document. Each rule was checked against go.yaml.in/yaml v2.4 and v3.0 (what
// kustomize-controller v1.9 reads YAML with); messages quote go-yaml's and say why.
import { type CST, Parser } from 'yaml';
import { MAX_DEPTH, MAX_IMPLICIT_KEY } from './yaml-limits.js';

export interface YamlProblem {
  offset: number;
  message: string;
  /** Nested past MAX_DEPTH: the document must not be composed (the composer recurses per level). */
  tooDeep?: true;
}

/**
 * Directives: go-yaml reads only `%YAML 1.1` (parserc.go: "found incompatible YAML document", so
 * also for `%YAML 1.2`), one `%YAML` and one `%TAG` per handle, and no other directive name.
 */
export function directiveProblem(directives: readonly CST.Directive[]): YamlProblem | undefined {
  let version = false;
  const handles = new Set<string>();
  for (const d of directives) {
    const [name, first] = d.source
      .replace(/#.*$/, '')
      .trim()
      .split(/[ \t]+/);
    if (name === '%YAML') {
      if (version) return { offset: d.offset, message: 'found duplicate %YAML directive' };
      version = true;
      if (first !== '1.1')
        return {
          offset: d.offset,
          message: `found incompatible YAML document: go-yaml (Flux's YAML reader) reads only %YAML 1.1, not ${first ?? 'no version'}; remove the directive`,
        };
    } else if (name === '%TAG') {
      if (first !== undefined && handles.has(first))
        return { offset: d.offset, message: 'found duplicate %TAG directive' };
      if (first !== undefined) handles.add(first);
    } else {
      return {
        offset: d.offset,
        message: `found unknown directive name ${name ?? ''}: go-yaml (Flux's YAML reader) knows only %YAML and %TAG`,
      };
    }
  }
  return undefined;
}

type Item = CST.CollectionItem;

/** Code points between two offsets (go-yaml counts characters, not UTF-16 units). */
function characters(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

/** Where an item's key starts: its anchor or tag if it has one, else the key itself. */
function keyStart(item: Item, key: CST.Token): number {
  let start = key.offset;
  for (const t of item.start)
    if ((t.type === 'anchor' || t.type === 'tag') && t.offset < start) start = t.offset;
  return start;
}

function itemProblem(text: string, item: Item, flow: boolean): YamlProblem | undefined {
  const key = item.key;
  if (!key) return undefined;
  if (key.type === 'block-map' || key.type === 'block-seq' || key.type === 'flow-collection')
    return {
      offset: key.offset,
      message:
        'invalid map key: a sequence or mapping as a key; go-yaml (Flux reads YAML with it) accepts only scalar keys',
    };
  const explicit = item.start.some((t) => t.type === 'explicit-key-ind');
  const colon = item.sep?.find((t) => t.type === 'map-value-ind');
  if (explicit || !colon) return undefined;
  const start = keyStart(item, key);
  if (characters(text, start, colon.offset) > MAX_IMPLICIT_KEY)
    return {
      offset: start,
      message: `implicit key longer than ${MAX_IMPLICIT_KEY} characters: go-yaml (Flux's YAML reader) fails with "${flow ? "did not find expected ',' or '}'" : 'mapping values are not allowed in this context'}"; shorten the key or write it after "? "`,
    };
  return undefined;
}

/** `\u` and `\U` escapes of a double-quoted scalar that are not characters (surrogates). */
function escapeProblem(token: CST.FlowScalar): YamlProblem | undefined {
  const escapes = /\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|[\s\S])/g;
  for (let m = escapes.exec(token.source); m; m = escapes.exec(token.source)) {
    const hex = m[1] ?? m[2];
    if (hex === undefined) continue;
    const cp = Number.parseInt(hex, 16);
    if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
      return {
        offset: token.offset + m.index,
        message: `found invalid Unicode character escape code ${m[0]}: go-yaml (Flux's YAML reader) refuses escapes of surrogates (write the character itself, or \\U for one above U+FFFF)`,
      };
  }
  return undefined;
}

/**
 * A tab where go-yaml expects the indentation of a block scalar (scannerc.go
 * `yaml_parser_scan_block_scalar_breaks`: "found a tab character where an indentation space is
 * expected"), on any line of its body, the blank ones after its text included, that the `yaml`
 * package takes as trailing white space.
 */
function blockScalarProblem(token: CST.BlockScalar): YamlProblem | undefined {
  const text = (t: CST.Token) => ('source' in t && typeof t.source === 'string' ? t.source : '');
  const headerToken = token.props.find((p) => p.type === 'block-scalar-header');
  const header = headerToken ? text(headerToken) : '';
  const explicit = /[1-9]/.exec(header)?.[0];
  let indent = explicit === undefined ? -1 : token.indent + Number(explicit);
  let offset = token.offset + token.props.reduce((n, p) => n + text(p).length, 0);
  for (const line of token.source.split('\n')) {
    let spaces = 0;
    while (line[spaces] === ' ') spaces++;
    const next = line[spaces];
    if (next === '\t' && (indent < 0 || spaces < indent))
      return {
        offset: offset + spaces,
        message:
          "found a tab character where an indentation space is expected: go-yaml (Flux's YAML reader) allows only spaces before a block scalar's text, also on its blank lines",
      };
    if (indent < 0 && next !== undefined && next !== '\r') indent = spaces;
    offset += line.length + 1;
  }
  return undefined;
}

/**
 * The first go-yaml problem of a document's syntax tree, walked without recursion (a document
 * may nest 100,000 levels): nesting past go-yaml's depth limit, collection keys, long implicit
 * keys, surrogate escapes. Also says whether the document has aliases (their expansion is checked
 * on the composed document).
 */
export function documentProblem(
  text: string,
  doc: CST.Document,
  maxDepth = MAX_DEPTH,
): { problem?: YamlProblem; hasAliases: boolean } {
  let hasAliases = false;
  const stack: { token: CST.Token; depth: number }[] = doc.value ? [{ token: doc.value, depth: 0 }] : [];
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    switch (token.type) {
      case 'alias':
        hasAliases = true;
        break;
      case 'double-quoted-scalar': {
        const problem = escapeProblem(token);
        if (problem) return { problem, hasAliases };
        break;
      }
      case 'block-scalar': {
        const problem = blockScalarProblem(token);
        if (problem) return { problem, hasAliases };
        break;
      }
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        if (depth + 1 > maxDepth)
          return {
            problem: {
              offset: token.offset,
              message: `exceeded max depth of ${maxDepth}: go-yaml (Flux's YAML reader) and the Kubernetes API read at most ${maxDepth} nested levels`,
              tooDeep: true,
            },
            hasAliases,
          };
        const flow = token.type === 'flow-collection';
        for (let i = token.items.length - 1; i >= 0; i--) {
          const item = token.items[i] as Item;
          const problem = itemProblem(text, item, flow);
          if (problem) return { problem, hasAliases };
          if (item.value) stack.push({ token: item.value, depth: depth + 1 });
          if (item.key) stack.push({ token: item.key, depth: depth + 1 });
        }
        break;
      }
      default:
        break;
    }
  }
  return { hasAliases };
}

/** The offset where a text first nests deeper than `limit` collections, if it does. */
export function nestingBeyond(text: string, limit: number): number | undefined {
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document') continue;
    const { problem } = documentProblem(text, token, limit);
    if (problem?.tooDeep) return problem.offset;
  }
  return undefined;
}
