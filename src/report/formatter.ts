import type { Diagnostic } from '../core/diagnostic.js';
import type { Summary } from './summary.js';

export interface FormatContext {
  summary: Summary;
  /** A line of a repository file, already redacted; undefined when unknown. */
  sourceLine(file: string, line: number): string | undefined;
  color: boolean;
  /** Print only findings: no summary line. */
  quiet: boolean;
  /** The run fails: a finding is at or above --fail-level (the CLI exits 1). */
  failed: boolean;
  /** Absolute path of the repository root, for consumers that want absolute paths (CI annotations). */
  root: string;
  /** fluxgate's version, for tool metadata (SARIF). */
  version: string;
}

/** A formatter is a pure function of the (redacted) findings and their context. */
export type Formatter = (diagnostics: readonly Diagnostic[], context: FormatContext) => string;
