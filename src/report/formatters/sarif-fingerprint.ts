import { createHash } from 'node:crypto';
import type { Diagnostic, ResourceId } from '../../core/diagnostic.js';

/**
 * The `partialFingerprints` key: a versioned hierarchical string (SARIF 2.1.0 §3.27.17). Bump the
 * version if the inputs below ever change, so result management systems compare like with like.
 */
export const FINGERPRINT_KEY = 'fluxgate/v1';

function resourceKey(r: ResourceId | undefined): string {
  return r ? `${r.apiVersion}/${r.kind}/${r.namespace ?? ''}/${r.name}` : '';
}

/**
 * Partial fingerprints that survive line shifts, so code scanning keeps tracking an alert when lines
 * are added above it (SARIF 2.1.0 Appendix B: a fingerprint SHOULD NOT include an absolute line number).
 * Hashed: rule id, file, resource identity and message (without the cluster list, so adding a cluster
 * keeps the alert). Findings that share all four (say two containers in one Deployment with the same
 * problem) get their occurrence index appended, in line order, as GitHub's own `primaryLocationLineHash`
 * does, so they stay distinct alerts.
 */
export function partialFingerprints(diagnostics: readonly Diagnostic[]): string[] {
  const seen = new Map<string, number>();
  return diagnostics.map((d) => {
    const hash = createHash('sha256')
      .update(JSON.stringify([d.ruleId, d.file, resourceKey(d.resource), d.message]))
      .digest('hex')
      .slice(0, 32);
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    return `${hash}:${occurrence}`;
  });
}
