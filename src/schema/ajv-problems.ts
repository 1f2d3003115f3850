import type { ErrorObject } from 'ajv';
import { suggest } from '../core/suggest.js';
import { describeValue, displayPath, valueAt } from './pointer.js';
import { escapePointer } from './resolve.js';

/** A schema problem in a document, before it is placed at a line. */
export interface SchemaProblem {
  ruleId: 'schema/invalid' | 'schema/unknown-field' | 'schema/cel';
  pointer: string;
  message: string;
  atKey?: boolean;
  /** A missing required field's name (`pointer` is its parent's). */
  missing?: string;
}

const at = (pointer: string) => (pointer === '' ? 'the object' : displayPath(pointer));

function typeNames(type: unknown): string {
  const list = Array.isArray(type) ? type : [type];
  const names = list.map((t) => (t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : String(t)));
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names[0]!;
}

function allowedNames(parentSchema: unknown): string[] {
  const props = (parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : [];
}

function unknownField(e: ErrorObject): SchemaProblem {
  const name = String(e.params.additionalProperty);
  const pointer = `${e.instancePath}/${escapePointer(name)}`;
  const allowed = allowedNames(e.parentSchema);
  const hint = suggest(name, allowed);
  let message = `unknown field "${displayPath(pointer)}"`;
  if (hint) message += ` (did you mean "${hint}"?)`;
  else if (allowed.length > 0 && allowed.length <= 12) message += `; allowed here: ${allowed.join(', ')}`;
  else if (allowed.length === 0) message += `: ${at(e.instancePath)} allows no fields`;
  return { ruleId: 'schema/unknown-field', pointer, message, atKey: true };
}

function describe(e: ErrorObject, value: unknown, redact?: (text: string) => string): string {
  const where = at(e.instancePath);
  const found = describeValue(value, redact);
  switch (e.keyword) {
    case 'required':
      return `missing required field "${displayPath(`${e.instancePath}/${escapePointer(String(e.params.missingProperty))}`)}"`;
    case 'type':
      return `${where}: expected ${typeNames(e.params.type)}, found ${found}`;
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).filter((v) => v !== null);
      const list = allowed
        .slice(0, 12)
        .map((v) => JSON.stringify(v))
        .join(', ');
      return `${where}: expected one of ${list}${allowed.length > 12 ? ', ...' : ''}; found ${found}`;
    }
    case 'pattern':
      return `${where}: ${found} does not match the pattern ${String(e.params.pattern)}`;
    case 'uniqueItems':
      return `${where}: items ${String(e.params.j)} and ${String(e.params.i)} are identical; the list must not repeat items`;
    case 'anyOf':
    case 'oneOf':
      return `${where}: ${found} matches ${e.keyword === 'oneOf' ? 'not exactly one' : 'none'} of the allowed forms`;
    default:
      return `${where}: ${e.message ?? e.keyword}; found ${found}`;
  }
}

/**
 * ajv errors as readable problems: unknown fields with a "did you mean", everything else
 * with what was expected and what was found. The branch errors of a failed anyOf/oneOf are
 * folded into it.
 */
export function ajvProblems(
  errors: readonly ErrorObject[],
  value: unknown,
  redact?: (text: string) => string,
): SchemaProblem[] {
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const inBranch = (e: ErrorObject) =>
    combinators.some(
      (c) =>
        c !== e && e.schemaPath.startsWith(`${c.schemaPath}/`) && e.instancePath.startsWith(c.instancePath),
    );
  const out: SchemaProblem[] = [];
  for (const e of errors) {
    if (inBranch(e) || e.keyword === 'if') continue;
    if (e.keyword === 'additionalProperties') out.push(unknownField(e));
    else
      out.push({
        ruleId: 'schema/invalid',
        pointer: e.instancePath,
        message: describe(e, valueAt(value, e.instancePath), redact),
        ...(e.keyword === 'required' ? { atKey: true, missing: String(e.params.missingProperty) } : {}),
      });
  }
  return out;
}
