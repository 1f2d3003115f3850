import type { Severity } from '../core/diagnostic.js';
import { builtinMeta } from '../policy/builtin-meta.js';
import type { RuleMeta } from './rule-meta.js';

/**
 * The built-in Rego rules (policies/README.md), in the order of its table. Ids and default
 * severities are the released contract; title and help come from each package's METADATA
 * (policies/dist/meta.json, generated), and a test checks that both agree.
 */
const BUILTIN: readonly (readonly [id: string, severity: Severity])[] = [
  ['policy/image-tag-pinned', 'error'],
  ['policy/helm-chart-pinned', 'error'],
  ['policy/rbac-cluster-admin', 'error'],
  ['policy/rbac-wildcards', 'warning'],
  ['policy/flux-tenant-service-account', 'error'],
  ['policy/secret-encrypted', 'error'],
  ['policy/git-source-auth', 'error'],
  ['policy/container-resources', 'warning'],
  ['policy/pod-security', 'warning'],
  ['policy/separate-env-overlays', 'error'],
];

function describe(id: string): string {
  const rule = builtinMeta().rules.find((r) => r.id === id);
  if (!rule) throw new Error(`${id} is not in policies/dist/meta.json: run npm run generate:policies`);
  return rule.description;
}

export const policyRules: readonly RuleMeta[] = BUILTIN.map(([id, defaultSeverity]) => ({
  id,
  source: 'policy',
  defaultSeverity,
  description: describe(id),
}));
