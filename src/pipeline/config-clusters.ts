import type { Config } from '../config/config.js';
import { type ConfigProblem, pointerOf, type ReadConfig } from '../config/load-config.js';
import { suggest } from '../core/suggest.js';

/**
 * `clusters:` entries that name no cluster: a typo there silently drops the cluster's settings
 * (its environment, context, versions). The render names the clusters (a root's name, or its
 * path, finds its settings), so this runs after it.
 */
export function unknownClusters(
  config: Config,
  clusters: readonly { name: string; root: string }[],
  lineOf: ReadConfig['lineOf'],
): ConfigProblem[] {
  const known = new Set(clusters.flatMap((c) => [c.name, c.root]));
  const names = clusters.map((c) => c.name).sort();
  return Object.keys(config.clusters ?? {})
    .filter((name) => !known.has(name))
    .map((name) => {
      const hint = suggest(name, names);
      return {
        line: lineOf(pointerOf('clusters', name), true),
        message:
          `clusters: no cluster named "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}; ` +
          (names.length > 0 ? `the clusters are ${names.join(', ')}` : 'the repository has no cluster'),
      };
    });
}
