import type { SecretSet } from '../core/secret-set.js';
import type { RepoFilesMode } from '../git/repo-files.js';
import type { ValidateOptions, ValidateResult } from '../validate.js';

/** How `fluxgate diff` checks one side. */
export interface SideCheckOptions {
  root: string;
  cacheDir?: string;
  snapshot?: RepoFilesMode;
  origin?: string;
  /** The environment kustomize and the other tools are looked up and run in. */
  env: Record<string, string | undefined>;
  kustomizeBin?: string;
}

/** What the comparison reads of one side. */
export type ComparedSide = Pick<ValidateResult, 'diagnostics' | 'clusters'>;

/** One side as the cache of commits keeps it: what is compared, and the secret values it learned. */
export interface SideData extends ComparedSide {
  /** `SecretSet.toForms()` of the side's run: both sides' output is scrubbed with them. */
  secretForms: string[];
}

/** The validate run of one side: the same for the work tree, the index and a commit's export. */
export function sideValidateOptions(
  side: SideCheckOptions,
  run: { secrets: SecretSet; signal: AbortSignal; debug?: ((message: string) => void) | undefined },
): ValidateOptions {
  return {
    cwd: side.root,
    root: side.root,
    secrets: run.secrets,
    ...(side.cacheDir ? { cacheDir: side.cacheDir } : {}),
    ...(run.debug ? { debug: run.debug } : {}),
    ...(side.snapshot ? { snapshot: side.snapshot } : {}),
    ...(side.origin ? { origin: side.origin } : {}),
    render: {
      env: side.env,
      signal: run.signal,
      ...(side.kustomizeBin ? { kustomizeBin: side.kustomizeBin } : {}),
    },
  };
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
