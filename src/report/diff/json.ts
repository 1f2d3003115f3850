import type { DiffResult } from '../../diff/types.js';
import { hasDifferences, reachedClusters } from '../../diff/types.js';

/** `--format json`: the whole comparison, for tools; versioned like validate's JSON output. */
export function formatDiffJson(result: DiffResult): string {
  return `${JSON.stringify(
    {
      version: 1,
      base: result.base,
      head: result.head,
      different: hasDifferences(result),
      reached: reachedClusters(result).map((c) => c.name),
      clusters: result.clusters,
      repository: result.repository,
    },
    null,
    2,
  )}\n`;
}
