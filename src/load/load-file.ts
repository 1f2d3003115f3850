import jsYaml from 'js-yaml';
import { LineCounter, parseAllDocuments } from 'yaml';
import { BoundedMap } from '../core/bounded-map.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { deepFreeze } from '../core/freeze.js';
import type { PendingFinding } from '../core/pending.js';
import { isRecord, type Resource, resourceIdOf, type SourceFile } from './resource.js';
import { errorRange, YAML_OPTIONS } from './source-map.js';

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
export function loadFile(file: string, text: string): LoadedFile {
  if (!parsed.enabled) return parse(file, text);
  const kept = parsed.get(file);
  if (kept?.text === text) return kept.loaded;
  const loaded = deepFreeze(parse(file, text));
  parsed.set(file, { text, loaded }, text.length);
  return loaded;
}

function parse(file: string, text: string): LoadedFile {
  let values: unknown[] | undefined;
  try {
    values = jsYaml.loadAll(text, undefined, { schema: FAST_SCHEMA }) as unknown[];
  } catch {
    values = undefined;
  }
  if (!values) return loadSlow(file, text);
  const resources = toResources(file, values);
  return { source: { file, text, resources }, diagnostics: [], pending: shapeFindings(file, resources) };
}

function loadSlow(file: string, text: string): LoadedFile {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter });
  const list = Array.isArray(docs) ? docs : [];
  const diagnostics: Diagnostic[] = [];
  const values: unknown[] = [];
  for (const doc of list) {
    // One finding per place: the parser often explains one mistake twice.
    const seen = new Set<number>();
    for (const error of doc.errors) {
      if (seen.has(error.pos[0])) continue;
      seen.add(error.pos[0]);
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
    const fatal = doc.errors.some((e) => e.code !== 'DUPLICATE_KEY');
    if (doc.contents !== null) values.push(fatal ? null : doc.toJS({ maxAliasCount: 1000 }));
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
  return { source: { file, text, resources: aligned }, diagnostics, pending: shapeFindings(file, aligned) };
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

/** Documents that are clearly meant as Kubernetes objects but lack apiVersion or kind. */
function shapeFindings(file: string, resources: Resource[]): PendingFinding[] {
  const out: PendingFinding[] = [];
  for (const r of resources) {
    if (!isRecord(r.value) || r.id) continue;
    const { apiVersion, kind, metadata } = r.value;
    if (!isRecord(metadata) || typeof metadata.name !== 'string') continue;
    const hasApi = typeof apiVersion === 'string' && apiVersion !== '';
    const hasKind = typeof kind === 'string' && kind !== '';
    if (hasApi === hasKind) continue;
    out.push({
      ruleId: hasKind ? 'yaml/missing-apiversion' : 'yaml/missing-kind',
      severity: 'error',
      message: hasKind
        ? `${String(kind)} "${metadata.name}" has no apiVersion`
        : `object "${metadata.name}" (apiVersion ${String(apiVersion)}) has no kind`,
      file,
      docIndex: r.docIndex,
      pointer: hasKind ? '/kind' : '/apiVersion',
      atKey: true,
      source: 'yaml',
    });
  }
  return out;
}
