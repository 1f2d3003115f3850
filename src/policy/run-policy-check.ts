import { codeIdentity } from '../cache/code-identity.js';
import { contentKey } from '../cache/store.js';
import type { Config } from '../config/config.js';
import { BoundedMap } from '../core/bounded-map.js';
import { type Diagnostic, type Severity, severityAtLeast } from '../core/diagnostic.js';
import { ToolError } from '../core/errors.js';
import { deepFreeze } from '../core/freeze.js';
import type { SourceFile } from '../load/resource.js';
import type { RenderStage } from '../model/render-stage.js';
import { settingSeverity } from '../pipeline/rule-settings.js';
import { builtinMeta, builtinWasm, type PolicyScope } from './builtin-meta.js';
import { clusterInput, dataJson } from './inputs.js';
import { jsonBuffer, PolicyModule } from './policy-module.js';
import { builtinSet, evaluateScope, type PolicySet } from './policy-set.js';
import { repoInput } from './repo-input.js';
import type { PolicyResult } from './results.js';
import { checkRuleOptions } from './rule-options.js';
import { collectSubjects, type Placed, type Subject } from './subjects.js';
import { loadUserPolicies, type UserPolicyDir } from './user-policies.js';

export interface PolicyCheckInput {
  root: string;
  config: Config;
  render: RenderStage;
  loaded: ReadonlyMap<string, SourceFile>;
  /** `--policy DIR` and `policies:` of the config, directories absolute. */
  userPolicies: readonly UserPolicyDir[];
  /** Where opa is looked up for user policies (PATH, tools cache) and the compile cache lives. */
  env: Readonly<Record<string, string | undefined>>;
  /** Changed-files mode: resource-scope rules only on the objects of these builds and files. */
  focus?: { files: ReadonlySet<string>; targets: ReadonlySet<string> };
  debug?: (message: string) => void;
}

/** Caps a finding on something Flux never applies (config `unreachedSeverity`), as the schema check does. */
function cap(severity: Severity, limit: Severity): Severity {
  return severityAtLeast(severity, limit) ? limit : severity;
}

/**
 * Results of built-in evaluations kept in this process (the daemon), by policy, scope, data and
 * input: the built-in rules are pure (no clock, network or randomness), so the same input gives
 * the same results. Most objects of a changed-files run are as they were in the run before.
 */
const kept = new BoundedMap<string, readonly PolicyResult[]>();
/** Evaluations answered from `kept`, for --debug. */
let reused = 0;

/** Keeps up to `entries` results of built-in evaluations; 0 turns it off. */
export function keepPolicyResults(entries: number): void {
  kept.setLimit(entries);
}

function evaluate(
  set: PolicySet,
  scope: PolicyScope,
  data: ArrayBuffer,
  input: ArrayBuffer,
  what: () => string,
): readonly PolicyResult[] {
  const key =
    kept.enabled && set.builtin
      ? contentKey(
          codeIdentity(),
          JSON.stringify(set.entrypoints),
          scope,
          new Uint8Array(data),
          new Uint8Array(input),
        )
      : undefined;
  const known = key === undefined ? undefined : kept.get(key);
  if (known) {
    reused++;
    return known;
  }
  let results: PolicyResult[];
  try {
    set.module.setData(data);
    results = evaluateScope(set, scope, input);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ToolError(`${set.name}: evaluation failed on ${what()}: ${message}`, { cause: error });
  }
  if (key !== undefined) kept.set(key, deepFreeze(results));
  return results;
}

interface Finding {
  set: PolicySet;
  result: PolicyResult;
  placed: Placed;
  subject?: Subject;
  cluster?: string;
  unreached: boolean;
}

function toDiagnostic(f: Finding, limit: Severity): Diagnostic {
  const verdict = f.set.describe(f.result);
  const { placed } = f;
  return {
    ruleId: verdict.ruleId,
    severity: f.unreached ? cap(verdict.severity, limit) : verdict.severity,
    message: f.result.message,
    file: placed.file,
    line: placed.line,
    column: placed.column,
    ...(placed.endLine !== undefined ? { endLine: placed.endLine } : {}),
    ...(placed.endColumn !== undefined ? { endColumn: placed.endColumn } : {}),
    ...(f.subject ? { resource: f.subject.id } : {}),
    ...(f.cluster ? { cluster: f.cluster } : {}),
    ...(f.result.path ? { path: f.result.path } : {}),
    source: 'policy',
    ...(verdict.helpUri ? { helpUri: verdict.helpUri } : {}),
  };
}

const display = (s: Subject) =>
  `${s.id.kind} ${s.id.namespace ? `${s.id.namespace}/` : ''}${s.id.name} (${s.context.file})`;

/**
 * The policy check (ARCHITECTURE.md, check stage): the built-in Rego library (policies/dist, no opa
 * needed) and the user's conftest policies, over three scopes: every object (resource), every
 * cluster (cluster), the repository model (repo). Returns placed diagnostics.
 */
export async function policyCheck(input: PolicyCheckInput): Promise<Diagnostic[]> {
  const started = performance.now();
  const reusedBefore = reused;
  const { config, render } = input;
  const meta = builtinMeta();
  checkRuleOptions(config, meta.rules);
  const enabled = (id: string) => settingSeverity(config.rules[id]) !== 'off';
  const sets: PolicySet[] = [
    builtinSet(await PolicyModule.load({ wasm: builtinWasm(), entrypoints: [] }), meta, enabled),
    ...(await loadUserPolicies(input.userPolicies, {
      root: input.root,
      env: input.env,
      ...(input.debug ? { debug: input.debug } : {}),
    })),
  ];
  const setsOf = (scope: PolicyScope) => sets.filter((s) => s.entrypoints.some((e) => e.scope === scope));
  const [resourceSets, clusterSets, repoSets] = [setsOf('resource'), setsOf('cluster'), setsOf('repo')];
  const configJson = JSON.stringify(config);
  const groups = collectSubjects(input);
  const { focus } = input;
  const inFocus = (s: Subject) =>
    !focus || (s.target !== undefined ? focus.targets.has(s.target) : focus.files.has(s.context.file));
  const findings: Finding[] = [];
  let evaluations = 0;

  for (const group of groups) {
    const cluster = group.cluster?.name;
    const base = { unreached: group.unreached, ...(cluster ? { cluster } : {}) };
    if (resourceSets.length > 0)
      for (const subject of group.subjects) {
        if (!inFocus(subject)) continue;
        const data = dataJson(configJson, group, subject);
        const object = jsonBuffer(JSON.stringify(subject.value));
        for (const set of resourceSets) {
          for (const result of evaluate(set, 'resource', data, object, () => display(subject)))
            findings.push({ ...base, set, result, subject, placed: subject.place(result.path ?? '') });
        }
        evaluations++;
      }
    if (clusterSets.length > 0 && group.subjects.length > 0) {
      const data = dataJson(configJson, group, undefined);
      for (const set of clusterSets) {
        const { json, order } = clusterInput(group, set.clusterKinds);
        for (const result of evaluate(set, 'cluster', data, json, () => `cluster ${cluster ?? '(none)'}`)) {
          const index = result.details?.index;
          const subject = typeof index === 'number' ? order[index] : undefined;
          const placed = subject?.place(result.path ?? '') ?? (order[0] ?? group.subjects[0]!).place('');
          findings.push({ ...base, set, result, ...(subject ? { subject } : {}), placed });
        }
      }
    }
  }

  if (repoSets.length > 0) {
    const json = jsonBuffer(JSON.stringify(repoInput(input.root, config, render)));
    const data = dataJson(configJson, undefined, undefined);
    for (const set of repoSets) {
      for (const result of evaluate(set, 'repo', data, json, () => 'the repository')) {
        const file = result.details?.file;
        if (typeof file !== 'string') {
          // A repo-scope finding must name the file it is about (policies/README.md, Findings).
          input.debug?.(`policy ${set.name}: repo-scope result without file dropped: ${result.message}`);
          continue;
        }
        const document = typeof result.details?.document === 'number' ? result.details.document : 0;
        const placed = render.reader.placer.place({
          ruleId: '',
          severity: 'info',
          message: '',
          source: 'policy',
          file,
          docIndex: document,
          pointer: result.path ?? '',
        });
        const cluster = result.details?.cluster;
        findings.push({
          set,
          result,
          placed,
          unreached: false,
          ...(typeof cluster === 'string' ? { cluster } : {}),
        });
      }
    }
  }

  input.debug?.(
    `policy: ${evaluations} objects in ${groups.length} groups, ${sets.length} policy sets, ${findings.length} findings, ${(performance.now() - started).toFixed(0)} ms${kept.enabled ? `, ${reused - reusedBefore} evaluations reused` : ''}`,
  );
  return findings.map((f) => toDiagnostic(f, config.unreachedSeverity));
}
