import { newFindings } from '../baseline/baseline.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { FindingChanges } from './types.js';

/**
 * The findings a change adds (in the head, not the base) and removes (in the base, not the head),
 * matched as `--new-since` matches them: by rule, file, cluster, resource and message, not line.
 */
export function findingChanges(base: readonly Diagnostic[], head: readonly Diagnostic[]): FindingChanges {
  return { added: newFindings(head, base), removed: newFindings(base, head) };
}
