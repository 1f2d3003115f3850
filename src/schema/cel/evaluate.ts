import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { isRecord } from '../../load/resource.js';
import type { CelSite } from '../structural-checks.js';
import type { CelRule } from '../types.js';
import { K8S_CEL_FUNCS } from './k8s-library.js';

/** A rule that evaluated to false. */
export interface CelViolation {
  pointer: string;
  message: string;
  rule: string;
  /** A rule about a whole object or list is reported at its key. */
  atKey: boolean;
}

type Program = (ctx: { self: unknown }) => unknown;

const env = celEnv({ funcs: K8S_CEL_FUNCS });
/** Compiled once per process; undefined when the rule cannot be evaluated offline. */
const programs = new Map<string, Program | undefined>();

function compile(rule: string): Program | undefined {
  if (programs.has(rule)) return programs.get(rule);
  let program: Program | undefined;
  // Transition rules compare with the stored object, which does not exist offline.
  if (!/\boldSelf\b/.test(rule)) {
    try {
      program = plan(env, parse(rule)) as unknown as Program;
    } catch {
      program = undefined;
    }
  }
  programs.set(rule, program);
  return program;
}

/**
 * JSON to CEL values as the API server types them: integers are CEL ints (bigint), objects
 * maps. https://kubernetes.io/docs/reference/using-api/cel/#type-checking
 */
export function toCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCel);
  if (isRecord(value)) return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return value;
}

/** `fieldPath: .spec.foo` (a rule's preferred place) as a pointer suffix. */
function fieldPathPointer(fieldPath: string | undefined): string {
  if (!fieldPath) return '';
  return fieldPath
    .replace(/\['([^']*)'\]/g, '.$1')
    .split('.')
    .filter(Boolean)
    .map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

function evaluate(rule: CelRule, self: unknown): boolean | undefined {
  const program = compile(rule.rule);
  if (!program) return undefined;
  try {
    const result = program({ self });
    return typeof result === 'boolean' && !isCelError(result) ? result : undefined;
  } catch {
    return undefined;
  }
}

/** Evaluates every rule at every site; rules that error or cannot run offline are skipped. */
export function evaluateCel(sites: readonly CelSite[], skip?: (pointer: string) => boolean): CelViolation[] {
  const out: CelViolation[] = [];
  for (const site of sites) {
    if (skip?.(site.pointer)) continue;
    const self = toCel(site.value);
    for (const rule of site.rules) {
      if (evaluate(rule, self) !== false) continue;
      out.push({
        pointer: site.pointer + fieldPathPointer(rule.fieldPath),
        message: rule.message ?? `failed rule: ${rule.rule}`,
        rule: rule.rule,
        atKey: !rule.fieldPath,
      });
    }
  }
  return out;
}
