import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { packageFile } from '../core/package-files.js';
import { suggest } from '../core/suggest.js';

/** A schema error worth showing, and where it points (a key for unknown keys and property names). */
export interface PickedError {
  error: ErrorObject;
  pointer: string;
  key: boolean;
}

const escapeSegment = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

function pointerOf(error: ErrorObject): { pointer: string; key: boolean } {
  if (error.keyword === 'additionalProperties')
    return {
      pointer: `${error.instancePath}/${escapeSegment(String(error.params.additionalProperty))}`,
      key: true,
    };
  if (error.propertyName !== undefined)
    return { pointer: `${error.instancePath}/${escapeSegment(error.propertyName)}`, key: true };
  return { pointer: error.instancePath, key: false };
}

/** Errors that only say "the other branch of a oneOf did not match either". */
const BRANCH_NOISE = new Set(['oneOf', 'anyOf', 'type', 'enum', 'required', 'propertyNames']);

/**
 * One error per place, the most specific: with allErrors, a oneOf reports every branch not taken
 * (a `type` or `enum` error at the same place, or errors further in), so an error at a place that
 * also has errors deeper down is dropped, and among errors at one place a concrete one (enum,
 * required, pattern) goes before `type` and `oneOf`.
 */
export function pickSchemaErrors(errors: readonly ErrorObject[]): PickedError[] {
  const byPlace = new Map<string, { errors: ErrorObject[]; key: boolean }>();
  for (const error of errors) {
    if (error.keyword === 'propertyNames') continue; // its pattern error names the property
    const { pointer, key } = pointerOf(error);
    const place = byPlace.get(pointer) ?? { errors: [], key };
    place.errors.push(error);
    byPlace.set(pointer, place);
  }
  const picked: PickedError[] = [];
  for (const [pointer, place] of byPlace) {
    const deeper = [...byPlace.keys()].some((p) => p !== pointer && p.startsWith(`${pointer}/`));
    const kept = deeper ? place.errors.filter((e) => !BRANCH_NOISE.has(e.keyword)) : place.errors;
    const rank = (e: ErrorObject) => (e.keyword === 'oneOf' ? 2 : e.keyword === 'type' ? 1 : 0);
    const best = [...kept].sort((a, b) => rank(a) - rank(b))[0];
    if (best) picked.push({ error: best, pointer, key: place.key });
  }
  return picked;
}

/** `/rules/yaml~1duplicate-key` → `rules.yaml/duplicate-key`: the path as the user writes it. */
export function displayPath(pointer: string): string {
  if (pointer === '') return 'config';
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');
}

type SchemaNode = Record<string, unknown>;
let schema: SchemaNode | undefined;

/** The keys the schema allows at a place (for "did you mean"); read only when a config is wrong. */
function knownKeys(pointer: string): string[] {
  schema ??= JSON.parse(readFileSync(packageFile('schemas/config.schema.json'), 'utf8')) as SchemaNode;
  const root = schema;
  const resolve = (node: SchemaNode | undefined): SchemaNode | undefined => {
    const ref = node?.$ref;
    if (typeof ref !== 'string') return node;
    return ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<SchemaNode | undefined>((n, s) => n?.[s] as SchemaNode | undefined, root);
  };
  const keysOf = (node: SchemaNode | undefined): string[] => {
    const n = resolve(node);
    const branches = (n?.oneOf as SchemaNode[] | undefined) ?? [];
    return [
      ...Object.keys((n?.properties as SchemaNode | undefined) ?? {}),
      ...branches.flatMap((b) => Object.keys((resolve(b)?.properties as SchemaNode | undefined) ?? {})),
    ];
  };
  let node: SchemaNode | undefined = root;
  for (const raw of pointer.split('/').slice(1, -1)) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    const n = resolve(node);
    const props = n?.properties as Record<string, SchemaNode> | undefined;
    node =
      props?.[segment] ??
      (/^\d+$/.test(segment) ? (n?.items as SchemaNode | undefined) : undefined) ??
      (typeof n?.additionalProperties === 'object' ? (n.additionalProperties as SchemaNode) : undefined) ??
      (n?.oneOf as SchemaNode[] | undefined)?.map(resolve).find((b) => b?.type === 'object');
  }
  return keysOf(node);
}

function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return value;
}

const didYouMean = (hint: string | undefined) => (hint ? ` (did you mean "${hint}"?)` : '');

/** What is wrong, in the words of the config: the path as written, the allowed values, a likely intent. */
export function describeSchemaError(error: ErrorObject, pointer: string, config: unknown): string {
  const where = displayPath(error.keyword === 'additionalProperties' ? error.instancePath : pointer);
  const value = valueAt(config, pointer);
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(error.params.additionalProperty);
      return `${where}: unknown key "${name}"${didYouMean(suggest(name, knownKeys(pointer)))}`;
    }
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      const hint = typeof value === 'string' ? suggest(value, allowed) : undefined;
      return `${where}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}${didYouMean(hint)}`;
    }
    case 'pattern':
      if (error.propertyName !== undefined)
        return `${displayPath(error.instancePath)}: "${error.propertyName}" is not a rule id (<namespace>/<name>, see \`fluxgate rules\`)`;
      if (/\\d\+\\\.\\d\+/.test(String(error.params.pattern))) {
        const like = /\d+\.\d+(\.\d+)?/.exec(String(value))?.[0];
        return `${where}: "${String(value)}" is not a version (e.g. 1.33 or v2.9.4)${didYouMean(like)}`;
      }
      return `${where}: "${String(value)}" must match ${String(error.params.pattern)}`;
    case 'type':
      // An unquoted 1.30 is the number 1.3 in YAML.
      if (error.params.type === 'string' && typeof value === 'number')
        return `${where}: must be a string: quote it (unquoted, YAML reads the number ${String(value)})`;
      return `${where}: must be ${String(error.params.type)}`;
    default:
      return `${where}: ${error.message ?? 'is invalid'}`;
  }
}
