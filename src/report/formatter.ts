import type { Diagnostic } from '../core/diagnostic.js';
import type { Summary } from './summary.js';

export interface FormatContext {
  summary: Summary;
  /** A line of a repository file, already redacted; undefined when unknown. */
  sourceLine(file: string, line: number): string | undefined;
  color: boolean;
  /** Print only findings: no summary line. */
  quiet: boolean;
}

/** A formatter is a pure function of the (redacted) findings and their context. */
export type Formatter = (diagnostics: readonly Diagnostic[], context: FormatContext) => string;
