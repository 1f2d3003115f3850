import { defineRules } from './rule-meta.js';

export const dryRunRules = defineRules([
  {
    id: 'dry-run/rejected',
    source: 'dry-run',
    defaultSeverity: 'error',
    description:
      'The API server refuses the object in a server-side dry run as Flux applies it (validation, admission policy, RBAC, quota).',
  },
  {
    id: 'dry-run/skipped-new-namespace',
    source: 'dry-run',
    defaultSeverity: 'info',
    description: 'Objects in a namespace that only the render creates are checked locally, not dry-run.',
  },
  {
    id: 'dry-run/skipped-new-crd',
    source: 'dry-run',
    defaultSeverity: 'info',
    description: 'Objects of a kind that only a CRD in the render defines are checked locally, not dry-run.',
  },
  {
    id: 'dry-run/not-sent',
    source: 'dry-run',
    defaultSeverity: 'info',
    description: 'An object with SOPS-encrypted or unknown values is not sent to the API server.',
  },
  {
    id: 'dry-run/skipped-cluster',
    source: 'dry-run',
    defaultSeverity: 'info',
    description:
      'A cluster without a kubeconfig context (clusters.<name>.context or --context) is not dry-run.',
  },
  {
    id: 'dry-run/skipped-remote',
    source: 'dry-run',
    defaultSeverity: 'info',
    description: 'A Kustomization that applies to another cluster (spec.kubeConfig) is not dry-run.',
  },
]);
