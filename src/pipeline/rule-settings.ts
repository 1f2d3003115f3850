import type { RuleSetting } from '../config/config.js';
import type { Diagnostic, Severity } from '../core/diagnostic.js';

export function settingSeverity(setting: RuleSetting | undefined): Severity | 'off' | undefined {
  if (setting === undefined) return undefined;
  return typeof setting === 'string' ? setting : setting.severity;
}

/** Applies `rules.<id>` from config: `off` drops a rule's findings, a severity replaces the default. */
export function applyRuleSettings(
  diagnostics: readonly Diagnostic[],
  rules: Readonly<Record<string, RuleSetting>>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const severity = settingSeverity(rules[d.ruleId]);
    if (severity === 'off') continue;
    out.push(severity ? { ...d, severity } : d);
  }
  return out;
}
