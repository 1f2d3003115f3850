import type { Config } from '../config/config.js';
import { type ConfigProblem, pointerOf, type ReadConfig } from '../config/load-config.js';
import { suggest } from '../core/suggest.js';
import { clusterName, findClusterRoots } from '../model/cluster-roots.js';

/**
 * `clusters:` entries that name no cluster: a typo there silently drops the cluster's settings
 * (its environment, context, versions). A cluster's name is its root directory's base name.
 */
export async function unknownClusters(
  root: string,
  config: Config,
  lineOf: ReadConfig['lineOf'],
): Promise<ConfigProblem[]> {
  const configured = Object.keys(config.clusters ?? {});
  if (configured.length === 0) return [];
  const names = [...new Set((await findClusterRoots(root, config.clusterRoots)).map(clusterName))].sort();
  const roots = config.clusterRoots.join(', ');
  return configured
    .filter((name) => !names.includes(name))
    .map((name) => {
      const hint = suggest(name, names);
      return {
        line: lineOf(pointerOf('clusters', name), true),
        message:
          `clusters: no cluster named "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}; ` +
          (names.length > 0
            ? `the clusters are ${names.join(', ')} (clusterRoots: ${roots})`
            : `no directory matches clusterRoots (${roots})`),
      };
    });
}
