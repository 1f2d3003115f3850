import jsYaml from 'js-yaml';
import type { Document } from 'yaml';
import { BoundedMap } from '../core/bounded-map.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { deepFreeze } from '../core/freeze.js';
import type { PendingFinding } from '../core/pending.js';
import type { DecodedSource } from './decode-source.js';
import {
  blankOut,
  forbiddenCharacter,
  mayHoldAnchors,
  needsCarefulRead,
  oversizedDocuments,
} from './go-yaml-text.js';
import { parseYaml } from './parse-yaml.js';
import { type Resource, resourceIdOf, type SourceFile } from './resource.js';
import { shapeFindings } from './shape-findings.js';
import { errorRange } from './source-map.js';
import { formatBytes, MAX_DOCUMENT_BYTES } from './yaml-limits.js';

// YAML 1.2 core schema plus merge keys: what Go's yaml.v3 (kustomize's kyaml) reads.
// js-yaml's default schema would turn timestamps into Date objects.
// (`types` is exported at run time but missing from @types/js-yaml.)
const { merge } = (jsYaml as unknown as { types: { merge: jsYaml.Type } }).types;
export const FAST_SCHEMA = jsYaml.CORE_SCHEMA.extend({ implicit: [merge] });

export interface LoadedFile {
  source: SourceFile;
  diagnostics: Diagnostic[];
  /** Findings about whole documents, placed later through the source map. */
  pending: PendingFinding[];
}

function toResources(file: string, values: unknown[]): Resource[] {
  return values
    .filter((value) => value !== null && value !== undefined)
    .map((value, docIndex) => {
      const id = resourceIdOf(value);
      return id ? { file, docIndex, value, id } : { file, docIndex, value };
    });
}

/**
 * Files parsed by this process, by path, with the text they had, while it lives (the daemon),
 * weighed by text size. Off unless `keepParsed`.
 */
const parsed = new BoundedMap<string, { text: string; loaded: LoadedFile }>();

/**
 * Keeps recently parsed files in memory (frozen: shared between runs) while their texts total at
 * most `bytes`; 0 turns it off.
 */
export function keepParsed(bytes: number): void {
  parsed.setLimit(bytes);
}

/**
 * Parses one YAML file. The fast path (js-yaml) handles well-formed files; any problem it
 * finds sends the file to `yaml`, which recovers documents and gives every error's position.
 * With `keepParsed`, a file whose text is unchanged since it was last parsed is not parsed again.
 */
export function loadFile(file: string, source: string | DecodedSource): LoadedFile {
  const { text, invalid } = typeof source === 'string' ? { text: source, invalid: undefined } : source;
  if (!parsed.enabled || invalid) return parse(file, text, invalid);
  const kept = parsed.get(file);
  if (kept?.text === text) return kept.loaded;
  const loaded = deepFreeze(parse(file, text, invalid));
  parsed.set(file, { text, loaded }, text.length);
  return loaded;
}

function parse(file: string, text: string, invalid?: DecodedSource['invalid']): LoadedFile {
  // go-yaml refuses the whole file: nothing in it is read.
  const refused = invalid ?? forbiddenCharacter(text);
  if (refused) {
    const finding = at(file, text, refused.offset, invalid?.ruleId ?? 'yaml/syntax', refused.message);
    // A file too large to read must not reach kustomize either; other refusals fail it at once.
    const unbuildable =
      invalid?.ruleId === 'yaml/too-large' ? { line: 1, message: finding.message } : undefined;
    return {
      source: { file, text, resources: [], ...(unbuildable ? { unbuildable } : {}) },
      diagnostics: [finding],
      pending: [],
    };
  }
  // Documents past the size bound are reported and blanked out (lines kept), never parsed.
  const oversized = oversizedDocuments(text);
  const diagnostics = oversized.map(({ start, bytes }) =>
    at(
      file,
      text,
      start,
      'yaml/too-large',
      `document is ${formatBytes(bytes)}, larger than the ${formatBytes(MAX_DOCUMENT_BYTES)} the Kubernetes API server accepts in one object: Flux cannot apply it, and fluxgate does not read it`,
    ),
  );
  const readable = oversized.length > 0 ? blankOut(text, oversized) : text;
  const loaded = needsCarefulRead(readable) ? undefined : loadFast(file, readable);
  const result = loaded ?? loadSlow(file, readable);
  if (diagnostics.length === 0) return result;
  const first = diagnostics[0]!;
  return {
    ...result,
    source: { ...result.source, unbuildable: { line: first.line, message: first.message } },
    diagnostics: [...diagnostics, ...result.diagnostics],
  };
}

/** js-yaml: several times faster than `yaml`; anything it refuses goes to the careful read. */
function loadFast(file: string, text: string): LoadedFile | undefined {
  let values: unknown[];
  try {
    values = jsYaml.loadAll(text, undefined, { schema: FAST_SCHEMA }) as unknown[];
  } catch {
    return undefined;
  }
  // js-yaml shares an aliased collection between its places: any such sharing goes to the careful
  // read, which counts aliases as go-yaml does (an alias bomb is refused there, never expanded).
  if (mayHoldAnchors(text) && (aliasAsKey(text) || sharesCollections(values))) return undefined;
  const resources = toResources(file, values);
  return { source: { file, text, resources }, diagnostics: [], pending: shapeFindings(file, resources) };
}

/** Whether an alias may stand as a mapping key (`*s : b`), which js-yaml turns into a string. */
function aliasAsKey(text: string): boolean {
  return /(?:^[ \t]*|-[ \t]+|[{,][ \t]*)\*[^ \t\r\n,[\]{}]+[ \t]*:(?:[ \t\r\n]|$)/m.test(text);
}

/** Whether one object or array is reached twice in the loaded values (an alias repeated it). */
function sharesCollections(values: unknown[]): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [...values];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (seen.has(value)) return true;
    seen.add(value);
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push(child);
  }
  return false;
}

/**
 * The command line reads up to go-yaml's depth limit (it runs on a thread with a large stack);
 * a caller on a small stack (the daemon, a library user) may run out first.
 */
const TOO_DEEP_HERE =
  'nested too deeply for fluxgate to read in this process (its stack ran out); the fluxgate command reads up to 10000 levels, as Flux does';

function at(file: string, text: string, offset: number, ruleId: string, message: string): Diagnostic {
  const before = text.slice(0, offset);
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { ruleId, severity: 'error', message, file, line, column, source: 'yaml' };
}

function loadSlow(file: string, text: string): LoadedFile {
  const { documents, unread, lineCounter } = parseYaml(text);
  const diagnostics: Diagnostic[] = unread.map((p) => at(file, text, p.offset, 'yaml/syntax', p.message));
  const values: unknown[] = [];
  let unbuildable: SourceFile['unbuildable'];
  for (const { doc, problem } of documents) {
    // One finding per place: the parser often explains one mistake twice.
    const seen = new Set<number>();
    // go-yaml's view first: where both parsers object, go-yaml's message is what Flux says.
    if (problem) {
      seen.add(problem.offset);
      const rule = problem.tooLarge ? 'yaml/too-large' : 'yaml/syntax';
      const found = at(file, text, problem.offset, rule, problem.message);
      diagnostics.push(found);
      if (problem.unbounded) unbuildable ??= { line: found.line, message: found.message };
    }
    let exhausted = false;
    for (const error of doc.errors) {
      if (seen.has(error.pos[0])) continue;
      seen.add(error.pos[0]);
      // The composer's stack ran out (it reports it once per level it unwinds): once is enough.
      if (error.code === 'RESOURCE_EXHAUSTION') {
        if (!exhausted) diagnostics.push(at(file, text, error.pos[0], 'yaml/syntax', TOO_DEEP_HERE));
        exhausted = true;
        continue;
      }
      const { start, end } = errorRange(text, lineCounter, error.pos);
      const duplicate = error.code === 'DUPLICATE_KEY';
      diagnostics.push({
        ruleId: duplicate ? 'yaml/duplicate-key' : 'yaml/syntax',
        severity: 'error',
        message: duplicate ? duplicateMessage(text, error.pos) : firstLine(error.message),
        file,
        line: start.line,
        column: start.col,
        endLine: end.line,
        endColumn: end.col,
        source: 'yaml',
      });
    }
    // A document with syntax errors is not used: its value is unreliable. One that only
    // repeats a key is still loaded (the later value wins, as in Go's decoders).
    const fatal = problem !== undefined || doc.errors.some((e) => e.code !== 'DUPLICATE_KEY');
    if (doc.contents === null) continue;
    values.push(fatal ? null : toJS(doc, file, text, diagnostics));
  }
  const resources = toResources(
    file,
    values.filter((v) => v !== null),
  );
  // Keep docIndex aligned with the source map (which indexes every non-empty document).
  let k = 0;
  const aligned: Resource[] = [];
  for (const [docIndex, value] of values.entries()) {
    if (value === null || value === undefined) continue;
    const r = resources[k++]!;
    aligned.push({ ...r, docIndex });
  }
  return {
    source: { file, text, resources: aligned, ...(unbuildable ? { unbuildable } : {}) },
    diagnostics,
    pending: shapeFindings(file, aligned),
  };
}

/**
 * The document's value. Aliases were counted as go-yaml counts them (parse-yaml.ts), so the
 * `yaml` package's own, stricter alias limit is off; what it still throws (a stack that ran out)
 * is a finding at the document, never a crash.
 */
function toJS(doc: Document.Parsed, file: string, text: string, diagnostics: Diagnostic[]): unknown {
  try {
    return doc.toJS({ maxAliasCount: -1 });
  } catch (error) {
    const offset = (doc.contents as { range?: number[] } | null)?.range?.[0] ?? 0;
    const message = error instanceof RangeError ? TOO_DEEP_HERE : firstLine((error as Error).message);
    diagnostics.push(at(file, text, offset, 'yaml/syntax', message));
    return null;
  }
}

function duplicateMessage(text: string, pos: [number, number]): string {
  // The error's range may cover only the key's first character: read the key up to its colon.
  const rest = text.slice(pos[0], text.indexOf('\n', pos[0]) >>> 0 || undefined);
  const key = /^\s*("[^"]*"|'[^']*'|[^:#\n]+?)\s*:/.exec(rest)?.[1]?.replace(/^["']|["']$/g, '');
  return key && key.length <= 80 ? `duplicate key "${key}" in a mapping` : 'duplicate key in a mapping';
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
