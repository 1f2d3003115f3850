import { defineRules } from './rule-meta.js';

export const refsRules = defineRules([
  {
    id: 'refs/source-not-found',
    source: 'refs',
    defaultSeverity: 'error',
    description:
      'A Kustomization, HelmRelease or HelmChart uses a Flux source that the cluster does not define.',
  },
  {
    id: 'refs/depends-on-not-found',
    source: 'refs',
    defaultSeverity: 'error',
    description: 'dependsOn names a Kustomization or HelmRelease that the cluster does not define.',
  },
  {
    id: 'refs/depends-on-cycle',
    source: 'refs',
    defaultSeverity: 'error',
    description: 'dependsOn forms a cycle: none of its members ever becomes ready.',
  },
  {
    id: 'refs/provider-not-found',
    source: 'refs',
    defaultSeverity: 'error',
    description: "An Alert's providerRef names a Provider that does not exist in its namespace.",
  },
  {
    id: 'refs/values-from-not-found',
    source: 'refs',
    defaultSeverity: 'warning',
    description:
      'A HelmRelease reads values from a ConfigMap or Secret that is not in the manifests and not optional.',
  },
  {
    id: 'refs/substitute-from-not-found',
    source: 'refs',
    defaultSeverity: 'warning',
    description:
      'A Kustomization substitutes from a ConfigMap or Secret that is not in the manifests and not optional.',
  },
  {
    id: 'refs/path-not-found',
    source: 'refs',
    defaultSeverity: 'error',
    description: "A Kustomization's spec.path does not exist in its source.",
  },
  {
    id: 'refs/duplicate-owner',
    source: 'refs',
    defaultSeverity: 'error',
    description: 'Two Flux Kustomizations apply the same object and overwrite and prune each other.',
  },
]);
