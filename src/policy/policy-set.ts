import { isSeverity, type Severity } from '../core/diagnostic.js';
import type { BuiltinMeta, PolicyScope } from './builtin-meta.js';
import type { CompiledPolicy, RuleAnnotation } from './compile.js';
import type { PolicyModule } from './policy-module.js';
import { type PolicyResult, packageResults } from './results.js';

/** One wasm entrypoint: a package document (user policies) or one `deny`/`warn` rule (built-ins). */
export interface PolicyEntrypoint {
  entrypoint: string;
  /** Package path, slash-separated. */
  pkg: string;
  /** The rule, when the entrypoint is one rule rather than a whole package. */
  rule?: string;
  scope: PolicyScope;
}

export interface RuleVerdict {
  ruleId: string;
  severity: Severity;
  helpUri?: string;
}

/** A compiled policy bundle and how its results become rule ids and severities. */
export interface PolicySet {
  /** For messages: `built-in policies` or the user directory. */
  name: string;
  module: PolicyModule;
  entrypoints: PolicyEntrypoint[];
  /** Per scope, one entrypoint whose value is an object of every rule entrypoint's value (built-ins). */
  aggregates?: Partial<Record<PolicyScope, string>>;
  /** The built-in rules (pure: no clock, network or randomness), whose results may be kept. */
  builtin?: boolean;
  /** Cluster scope: the only kinds its rules read (built-in `custom.kinds`); undefined: every object. */
  clusterKinds?: ReadonlySet<string>;
  describe(result: PolicyResult): RuleVerdict;
}

/** deny and violation are errors, warn warnings (conftest). */
const byKind = (kind: PolicyResult['kind']): Severity => (kind === 'warn' ? 'warning' : 'error');

const severityOf = (custom: Record<string, unknown> | undefined): Severity | undefined =>
  isSeverity(custom?.severity) ? custom.severity : undefined;

/** Evaluates the set's entrypoints of one scope on one input (serialized once). */
export function evaluateScope(set: PolicySet, scope: PolicyScope, input: ArrayBuffer): PolicyResult[] {
  const entrypoints = set.entrypoints.filter((ep) => ep.scope === scope);
  if (entrypoints.length === 0) return [];
  const aggregate = set.aggregates?.[scope];
  const values = aggregate ? set.module.value(input, aggregate) : undefined;
  const out: PolicyResult[] = [];
  for (const ep of entrypoints) {
    const value =
      aggregate && ep.rule
        ? (values as Record<string, unknown> | undefined)?.[ep.entrypoint]
        : set.module.value(input, ep.entrypoint);
    out.push(...packageResults(ep.pkg, ep.rule ? { [ep.rule]: value } : value));
  }
  return out;
}

/** The built-in bundle: entrypoints and verdicts from policies/dist/meta.json. */
export function builtinSet(
  module: PolicyModule,
  meta: BuiltinMeta,
  enabled: (id: string) => boolean,
): PolicySet {
  const rules = new Map(meta.rules.map((r) => [r.package, r]));
  const severities = new Map(meta.entrypoints.map((e) => [`${e.package}/${e.rule}`, e.severity]));
  const clusterRules = meta.rules.filter((r) => r.scope === 'cluster' && enabled(r.id));
  const clusterKinds = clusterRules.every((r) => r.kinds)
    ? new Set(clusterRules.flatMap((r) => r.kinds ?? []))
    : undefined;
  return {
    name: 'built-in policies',
    builtin: true,
    module,
    aggregates: meta.aggregates,
    ...(clusterKinds ? { clusterKinds } : {}),
    entrypoints: meta.entrypoints.flatMap((e) => {
      const rule = rules.get(e.package);
      return rule && enabled(rule.id)
        ? [{ entrypoint: e.entrypoint, pkg: e.package, rule: e.rule, scope: rule.scope }]
        : [];
    }),
    describe(result) {
      const rule = rules.get(result.pkg);
      return {
        ruleId: rule?.id ?? `policy/${kebab(result.pkg)}`,
        severity: severities.get(`${result.pkg}/${result.rule}`) ?? rule?.severity ?? byKind(result.kind),
        ...(rule ? { helpUri: rule.helpUri } : {}),
      };
    },
  };
}

/** `fluxgate/policy/k8s_rules` → `fluxgate-policy-k8s-rules`; `denyLatest` → `deny-latest`. */
export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** conftest's `--namespace`: a package name, or a glob where `*` matches any sequence, dots included. */
export function namespaceMatcher(namespace: string): (pkg: string) => boolean {
  if (!/[*?[]/.test(namespace)) return (pkg) => pkg === namespace;
  const source = namespace
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  const pattern = new RegExp(`^${source}$`);
  return (pkg) => pattern.test(pkg);
}

/**
 * A user policy directory (conftest layout): every package of the namespace (`main` by default)
 * is an entrypoint; METADATA `custom.id` (rule, then package) names the rule, else
 * `policy/<package>-<rule>`; severity: the rule's `custom.severity`, the package's, then the kind.
 */
export function userSet(
  name: string,
  module: PolicyModule,
  compiled: CompiledPolicy,
  namespace: string,
): PolicySet {
  const inNamespace = namespaceMatcher(namespace);
  const packageMeta = new Map<string, RuleAnnotation>();
  const ruleMeta = new Map<string, RuleAnnotation[]>();
  for (const a of compiled.annotations) {
    if (a.rule === '') packageMeta.set(a.pkg, a);
    else ruleMeta.set(`${a.pkg}/${a.rule}`, [...(ruleMeta.get(`${a.pkg}/${a.rule}`) ?? []), a]);
  }
  const scopeOf = (p: string): PolicyScope => {
    const scope = packageMeta.get(p)?.custom.scope;
    return scope === 'cluster' || scope === 'repo' ? scope : 'resource';
  };
  return {
    name,
    module,
    entrypoints: compiled.entrypoints
      .filter((p) => inNamespace(p.replaceAll('/', '.')))
      .map((p) => ({ entrypoint: p, pkg: p, scope: scopeOf(p) })),
    describe(result) {
      const rules = ruleMeta.get(`${result.pkg}/${result.rule}`) ?? [];
      const own = packageMeta.get(result.pkg);
      const first = <T>(pick: (a: RuleAnnotation) => T | undefined) =>
        rules.map(pick).find((v) => v !== undefined) ?? (own ? pick(own) : undefined);
      const id = first((a) =>
        typeof a.custom.id === 'string' && a.custom.id !== '' ? a.custom.id : undefined,
      );
      const helpUri = first((a) => a.relatedUrl);
      return {
        ruleId: id ?? `policy/${kebab(result.pkg)}-${kebab(result.rule)}`,
        severity: first((a) => severityOf(a.custom)) ?? byKind(result.kind),
        ...(helpUri ? { helpUri } : {}),
      };
    },
  };
}
