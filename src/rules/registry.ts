import { configRules } from './config-rules.js';
import { dryRunRules } from './dry-run-rules.js';
import { helmRules } from './helm-rules.js';
import { kustomizeRules } from './kustomize-rules.js';
import { policyRules } from './policy-rules.js';
import { refsRules } from './refs-rules.js';
import { renderRules } from './render-rules.js';
import type { RuleMeta } from './rule-meta.js';
import { schemaRules } from './schema-rules.js';
import { yamlRules } from './yaml-rules.js';

/** Every rule fluxgate can report, in one explicit list; `fluxgate rules` and docs/rules are generated from it. */
export const RULES: readonly RuleMeta[] = [
  ...yamlRules,
  ...configRules,
  ...schemaRules,
  ...renderRules,
  ...kustomizeRules,
  ...helmRules,
  ...refsRules,
  ...policyRules,
  ...dryRunRules,
];

const byId = new Map(RULES.map((rule) => [rule.id, rule]));

export function findRule(id: string): RuleMeta | undefined {
  return byId.get(id);
}
