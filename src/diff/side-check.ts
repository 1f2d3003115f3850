import type { SecretSet } from '../core/secret-set.js';
import type { ValidateResult } from '../validate.js';

/** What the comparison reads of one side. */
export type ComparedSide = Pick<ValidateResult, 'diagnostics' | 'clusters'>;

/** One side as the cache of commits keeps it: what is compared, and the secret values it learned. */
export interface SideData extends ComparedSide {
  /** `SecretSet.toForms()` of the side's run: both sides' output is scrubbed with them. */
  secretForms: string[];
}

/**
 * What a side's run leaves for a comparison: its findings, its clusters with each object's
 * identity, value and producer (what `compareClusters` reads), and the secret values it learned.
 */
export function toSideData(result: ComparedSide, secrets: SecretSet): SideData {
  return {
    diagnostics: result.diagnostics,
    clusters: result.clusters.map((cluster) => ({
      ...cluster,
      resources: cluster.resources.map(({ id, value, origin, target, appliedBy }) => ({
        id,
        value,
        target,
        ...(origin ? { origin } : {}),
        ...(appliedBy ? { appliedBy } : {}),
      })),
    })),
    secretForms: secrets.toForms(),
  };
}
