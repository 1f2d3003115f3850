import { Composer, type CST, type Document, LineCounter, Parser, YAMLParseError } from 'yaml';
import { duplicateKeys } from './duplicate-keys.js';
import { type AliasProblem, aliasProblem } from './go-yaml-aliases.js';
import { directiveProblem, documentProblem, type YamlProblem } from './go-yaml-cst.js';

export const YAML_OPTIONS = { merge: true, uniqueKeys: true, prettyErrors: false } as const;

/** Duplicate keys are found by duplicate-keys.ts, in linear time (uniqueKeys is quadratic). */
const LOAD_OPTIONS = { ...YAML_OPTIONS, uniqueKeys: false } as const;

export interface ParsedDocument {
  doc: Document.Parsed;
  /** What go-yaml refuses in it (the `yaml` package's own errors are in `doc.errors`). */
  problem?: AliasProblem;
}

export interface ParsedYaml {
  /** Every document, empty ones included, in file order. */
  documents: ParsedDocument[];
  /** Documents that could not be read at all (left out of `documents`). */
  unread: YamlProblem[];
  lineCounter: LineCounter;
}

function tooDeepToRead(offset: number): YamlProblem {
  return {
    offset,
    message:
      'nested too deeply for fluxgate to read in this process (its stack ran out); the fluxgate command reads up to 10000 levels, as Flux does',
  };
}

/**
 * Parses a file with the `yaml` package and go-yaml's rules on top (go-yaml-cst.ts,
 * go-yaml-aliases.ts). A document nested past go-yaml's limit is never composed (the composer
 * recurses per level): it stays in the list, empty, with its problem, so document indexes agree
 * with every other reader of the file.
 */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer(LOAD_OPTIONS);
  const composed: Document.Parsed[] = [];
  // One slot per document token, in order; `composed` fills the slots whose token was composed.
  const slots: { problem?: YamlProblem; hasAliases: boolean; skipped: boolean }[] = [];
  let directives: CST.Directive[] = [];
  const feed = (token: CST.Token) => {
    for (const doc of composer.next(token)) composed.push(doc);
  };
  for (const token of parser.parse(text)) {
    if (token.type === 'directive') directives.push(token);
    if (token.type !== 'document') {
      feed(token);
      continue;
    }
    const directive = directiveProblem(directives);
    directives = [];
    const found = documentProblem(text, token);
    const problem = directive ?? found.problem;
    // Past the depth limit the value is left out: composing it would recurse that deep.
    const deep = found.problem?.tooDeep === true;
    try {
      feed(deep ? { ...token, value: undefined } : token);
      slots.push({ ...(problem ? { problem } : {}), hasAliases: found.hasAliases, skipped: false });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      slots.push({ problem: tooDeepToRead(token.offset), hasAliases: false, skipped: true });
    }
  }
  for (const doc of composer.end()) composed.push(doc);
  const documents: ParsedDocument[] = [];
  const unread: YamlProblem[] = [];
  let next = 0;
  for (const slot of slots) {
    if (slot.skipped) {
      if (slot.problem) unread.push(slot.problem);
      continue;
    }
    const doc = composed[next++];
    if (!doc) break;
    let problem: AliasProblem | undefined = slot.problem;
    if (!problem && slot.hasAliases && doc.errors.length === 0) problem = aliasProblem(doc);
    for (const key of duplicateKeys(doc)) {
      const [start, end] = key.range ?? [0, 0];
      doc.errors.push(new YAMLParseError([start, end], 'DUPLICATE_KEY', 'Map keys must be unique'));
    }
    documents.push(problem ? { doc, problem } : { doc });
  }
  // Documents the composer gave without a document token (none expected) are kept as they are.
  for (const doc of composed.slice(next)) documents.push({ doc });
  return { documents, unread, lineCounter };
}
