import type { Severity } from '../core/diagnostic.js';

export interface ClusterConfig {
  context?: string;
  environment?: string;
  kubernetesVersion?: string;
  fluxVersion?: string;
}

export type RuleSetting =
  | Severity
  | 'off'
  | { severity?: Severity | 'off'; options?: Record<string, unknown> };

export interface PolicyDirConfig {
  path: string;
  namespace?: string;
  regoVersion?: 'v0' | 'v1';
}

/** `.fluxgate.yaml`, as schemas/config.schema.json defines it. */
export interface Config {
  exclude: string[];
  failLevel?: Severity;
  clusterRoots: string[];
  clusters: Record<string, ClusterConfig>;
  sources: Record<string, string>;
  environments: Record<string, string[]>;
  tenancy: 'single' | 'multi';
  unreachedSeverity: Severity;
  rules: Record<string, RuleSetting>;
  policies: (string | PolicyDirConfig)[];
  schemaLocations: string[];
  /** Deadline of a whole run (`--timeout`); default DEFAULT_RUN_TIMEOUT_SECONDS. */
  timeoutSeconds?: number;
  kustomize: { bin?: string; timeoutSeconds?: number; concurrency?: number };
  /** Network access: remote kustomize bases, schema locations, and (`charts`) Helm charts. */
  network: { remoteBases?: boolean; schemas?: boolean; charts?: boolean };
}

/** A run that takes longer is stopped (exit 2): a CI gate must never hang. */
export const DEFAULT_RUN_TIMEOUT_SECONDS = 900;

/** Never loaded, whatever the config says: what Flux's source-controller leaves out, and archives. */
export const DEFAULT_EXCLUDES = ['**/archive/**', '**/.archive/**'];

export function defaultConfig(): Config {
  return {
    exclude: [],
    clusterRoots: ['clusters/*'],
    clusters: {},
    sources: {},
    environments: {},
    tenancy: 'single',
    unreachedSeverity: 'warning',
    rules: {},
    policies: [],
    schemaLocations: [],
    kustomize: {},
    network: {},
  };
}
