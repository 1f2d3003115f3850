import type { Config } from '../config/config.js';

/**
 * Environment names as policies/lib/environments.rego resolves them (the reference): built-in
 * names and aliases, `environments:` from config merged by name, and every configured cluster
 * environment; case-insensitive.
 */
const DEFAULTS: Readonly<Record<string, readonly string[]>> = {
  production: ['prod'],
  staging: ['stage'],
  development: ['dev'],
};

export interface EnvironmentNames {
  /** The canonical environment a word names, or undefined. */
  canonical(word: string): string | undefined;
}

export function environmentNames(config: Pick<Config, 'environments' | 'clusters'>): EnvironmentNames {
  const configured = config.environments ?? {};
  const names = new Set<string>(
    [...Object.keys(DEFAULTS), ...Object.keys(configured)].map((n) => n.toLowerCase()),
  );
  const declaredAliases = new Set(
    [...Object.values(DEFAULTS), ...Object.values(configured)].flat().map((a) => a.toLowerCase()),
  );
  // A cluster's environment is a name of its own unless it is an alias (`prod` is production).
  for (const cluster of Object.values(config.clusters ?? {}))
    if (typeof cluster.environment === 'string' && cluster.environment !== '') {
      const env = cluster.environment.toLowerCase();
      if (!declaredAliases.has(env)) names.add(env);
    }
  const aliases = new Map<string, string>();
  for (const name of names)
    for (const alias of [...(DEFAULTS[name] ?? []), ...(configured[name] ?? [])]) {
      const lower = alias.toLowerCase();
      if (lower !== name && !aliases.has(lower)) aliases.set(lower, name);
    }
  return {
    canonical(word) {
      const lower = word.toLowerCase();
      return names.has(lower) ? lower : aliases.get(lower);
    },
  };
}

/**
 * A cluster's canonical environment: its configured `environment`, else the one environment its
 * name mentions (split on `-`, `_`, `.`); null when none or several are mentioned.
 */
export function clusterEnvironment(
  config: Pick<Config, 'environments' | 'clusters'>,
  name: string,
): string | null {
  const names = environmentNames(config);
  const configured = config.clusters?.[name]?.environment;
  if (typeof configured === 'string' && configured !== '') return names.canonical(configured) ?? null;
  const mentioned = new Set(
    name
      .toLowerCase()
      .split(/[-_.]/)
      .flatMap((word) => names.canonical(word) ?? []),
  );
  return mentioned.size === 1 ? [...mentioned][0]! : null;
}
