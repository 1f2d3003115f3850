import { isRecord } from '../load/resource.js';
import { ajvProblems, type SchemaProblem } from './ajv-problems.js';
import { evaluateCel } from './cel/evaluate.js';
import type { SchemaCompiler } from './compiler.js';
import { checkObjectMeta } from './object-meta.js';
import { isEncrypted, prepareValue } from './prepare-value.js';
import { escapePointer, type Resolver, resolverOf } from './resolve.js';
import { walkStructural } from './structural-checks.js';
import type { KindSchema } from './types.js';

/**
 * Every schema problem of one Kubernetes object: JSON schema (ajv), list uniqueness and CEL
 * rules (structural schemas), ObjectMeta formats. Values SOPS encrypted are unknown and
 * excused.
 */
export function validateObject(
  value: unknown,
  kind: KindSchema,
  compiler: SchemaCompiler,
  unknown: readonly string[] = [],
  redact?: (text: string) => string,
): SchemaProblem[] {
  const { set } = kind;
  const structural = set.dialect === 'structural';
  const resolve: Resolver = resolverOf(set.definitions);
  const root = set.definitions[kind.ref];
  const prepared = prepareValue(value, structural ? root : undefined, resolve);
  for (const pointer of unknown) prepared.encrypted.add(pointer);
  const excused = (pointer: string) => isEncrypted(pointer, prepared.encrypted);
  const validate = compiler.validator(kind);
  const problems: SchemaProblem[] = [];
  if (!validate(prepared.value)) problems.push(...ajvProblems(validate.errors ?? [], prepared.value, redact));
  if (structural && root) {
    const walked = walkStructural(prepared.value, root, resolve);
    for (const p of walked.problems) problems.push({ ruleId: 'schema/invalid', ...p });
    for (const v of evaluateCel(walked.cel, excused))
      problems.push({
        ruleId: 'schema/cel',
        pointer: v.pointer,
        message: `${v.message} (rule: ${v.rule})`,
        atKey: v.atKey,
      });
  }
  if (isRecord(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string') {
    for (const p of checkObjectMeta(value.apiVersion, value.kind, value.metadata))
      problems.push({ ruleId: 'schema/invalid', ...p });
  }
  // A required field whose value is unknown (a SOPS-encrypted variable left it null) is not missing.
  return problems.filter(
    (p) =>
      !excused(p.pointer) &&
      !(p.missing !== undefined && excused(`${p.pointer}/${escapePointer(p.missing)}`)),
  );
}
