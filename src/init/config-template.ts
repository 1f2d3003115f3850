import type { DetectedCluster } from './detect.js';

/** A commented `.fluxgate.yaml` for the repository `fluxgate init` runs in. */
export function configTemplate(clusters: readonly DetectedCluster[]): string {
  const clusterLines =
    clusters.length === 0
      ? ['clusters: {}', '#  prod-aks:', '#    environment: production', '#    context: aks-prod']
      : [
          'clusters:',
          ...clusters.flatMap((c) =>
            c.environment
              ? [
                  `  ${c.name}:`,
                  `    environment: ${c.environment}`,
                  `    # context: ${c.name}   # kubeconfig context for --server-dry-run`,
                ]
              : [`  ${c.name}: {}   # environment not guessed from the name: add environment: <name>`],
          ),
        ];
  return [
    '# fluxgate configuration: https://github.com/fluxgate-dev/fluxgate#configuration',
    '# Validated against schemas/config.schema.json; flags override it.',
    '',
    '# Each directory matching these globs is one cluster; its name is the directory name.',
    "clusterRoots: ['clusters/*']",
    '',
    '# Per cluster: environment (for policy/separate-env-overlays), kubeconfig context,',
    '# kubernetesVersion and fluxVersion (schemas and API deprecations).',
    ...clusterLines,
    '',
    '# Findings at or above this severity fail the run (exit 1).',
    'failLevel: error',
    '',
    '# Globs (relative to this file) never checked, besides archive/ and .archive/ folders.',
    'exclude: []',
    '',
    '# single: one team owns the cluster; multi: tenants must set serviceAccountName.',
    'tenancy: single',
    '',
    '# Per-rule severity (error, warning, info) or off; `fluxgate rules` lists them.',
    'rules: {}',
    '',
  ].join('\n');
}
