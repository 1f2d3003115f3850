import type { Diagnostic } from './diagnostic.js';

/**
 * A finding about a document that still needs its line: checks know the JSON pointer,
 * the placer turns it into a source range (lazily parsing only files that carry findings).
 */
export interface PendingFinding
  extends Omit<Diagnostic, 'line' | 'column' | 'endLine' | 'endColumn' | 'path'> {
  docIndex: number;
  /** JSON pointer in the document. */
  pointer: string;
  /** Report at the mapping key rather than its value (unknown fields). */
  atKey?: boolean;
}
