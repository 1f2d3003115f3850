/**
 * The one finding type every stage produces (ARCHITECTURE.md, "Contracts").
 * Lines and columns are 1-based and point at the file the user edits.
 */
export type Severity = 'error' | 'warning' | 'info';

export type DiagnosticSource =
  | 'yaml'
  | 'render'
  | 'kustomize'
  | 'schema'
  | 'policy'
  | 'refs'
  | 'dry-run'
  | 'config';

export interface ResourceId {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface Diagnostic {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Repository-relative POSIX path. */
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  resource?: ResourceId;
  cluster?: string;
  /** JSON pointer into the (rendered) resource. */
  path?: string;
  origin?: { file: string; line: number };
  source: DiagnosticSource;
  helpUri?: string;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export function severityAtLeast(severity: Severity, level: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[level];
}

export function isSeverity(value: unknown): value is Severity {
  return value === 'error' || value === 'warning' || value === 'info';
}

function resourceKey(r: ResourceId | undefined): string {
  return r ? `${r.apiVersion}/${r.kind}/${r.namespace ?? ''}/${r.name}` : '';
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The contract's total order: file, line, column, ruleId, cluster, resource, message. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareText(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.cluster ?? '', b.cluster ?? '') ||
    compareText(resourceKey(a.resource), resourceKey(b.resource)) ||
    compareText(a.message, b.message)
  );
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(compareDiagnostics);
}

/** Identical findings (same place, rule, cluster, resource and message) are reported once. */
export function dedupeDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const sorted = sortDiagnostics(diagnostics);
  return sorted.filter((d, i) => i === 0 || compareDiagnostics(d, sorted[i - 1]!) !== 0);
}
