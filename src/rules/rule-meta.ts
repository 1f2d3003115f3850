import type { DiagnosticSource, Severity } from '../core/diagnostic.js';

/** What `fluxgate rules` lists and docs/rules/<id>.md documents. Ids never change once released. */
export interface RuleMeta {
  id: string;
  source: DiagnosticSource;
  defaultSeverity: Severity;
  /** One line of help. */
  description: string;
}

export function defineRules<const T extends readonly RuleMeta[]>(rules: T): T {
  return rules;
}

export function helpUri(ruleId: string): string {
  return `https://github.com/fluxgate-dev/fluxgate/blob/main/docs/rules/${ruleId.replace('/', '-')}.md`;
}
