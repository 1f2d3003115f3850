import { globby } from 'globby';

/** Environment names and the aliases that normalise to them (prod = production, ...). */
export const ENVIRONMENT_ALIASES: Record<string, string[]> = {
  production: ['prod', 'prd', 'production', 'live'],
  staging: ['stage', 'stg', 'staging', 'preprod'],
  development: ['dev', 'development', 'develop'],
  test: ['test', 'tst', 'qa'],
  sandbox: ['sandbox', 'sbx'],
};

/** The environment a cluster or overlay name suggests, from its dash/underscore-separated words. */
export function guessEnvironment(name: string): string | undefined {
  const words = name.toLowerCase().split(/[-_.]/);
  for (const [environment, aliases] of Object.entries(ENVIRONMENT_ALIASES)) {
    if (words.some((w) => aliases.includes(w))) return environment;
  }
  return undefined;
}

export interface DetectedCluster {
  name: string;
  dir: string;
  environment?: string;
}

/** Cluster root directories under the default `clusters/*` layout. */
export async function detectClusters(root: string): Promise<DetectedCluster[]> {
  const dirs = await globby('clusters/*', { cwd: root, onlyDirectories: true });
  return dirs.sort().map((dir) => {
    const name = dir.split('/').at(-1)!;
    const environment = guessEnvironment(name);
    return environment ? { name, dir, environment } : { name, dir };
  });
}
