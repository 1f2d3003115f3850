import { defineRules } from './rule-meta.js';

export const renderRules = defineRules([
  {
    id: 'render/undefined-variable',
    source: 'render',
    defaultSeverity: 'error',
    description:
      "A variable that the Flux Kustomization's postBuild does not define is used: Flux's strict substitution fails the build.",
  },
  {
    id: 'render/unknown-values',
    source: 'render',
    defaultSeverity: 'info',
    description:
      'A substituteFrom source is SOPS-encrypted or not in the repository: values using its variables are not checked.',
  },
  {
    id: 'render/external-source',
    source: 'render',
    defaultSeverity: 'info',
    description:
      'A Flux Kustomization reconciles another repository or artifact, which is not rendered (map it with sources).',
  },
  {
    id: 'render/remote-base-skipped',
    source: 'render',
    defaultSeverity: 'info',
    description:
      'A kustomization uses a remote base, which is not fetched unless network.remoteBases is set; the build is skipped.',
  },
  {
    id: 'render/chart-not-available',
    source: 'render',
    defaultSeverity: 'info',
    description:
      "A HelmRelease's chart is neither in the repository nor in the chart cache (or its source is not rendered): the release is not rendered unless network.charts is set or `fluxgate charts pull` fills the cache.",
  },
  {
    id: 'render/helm-charts-disabled',
    source: 'render',
    defaultSeverity: 'error',
    description:
      "A kustomization that Flux builds uses helmCharts, which Flux's kustomize build does not support.",
  },
  {
    id: 'render/sops-without-decryption',
    source: 'render',
    defaultSeverity: 'error',
    description: 'A SOPS-encrypted object is applied by a Flux Kustomization without spec.decryption.',
  },
  {
    id: 'render/unreached-root',
    source: 'render',
    defaultSeverity: 'warning',
    description:
      'The repository has Flux Kustomizations but no cluster root (bootstrap sync, FluxInstance, clusters/<name>, clusterRoots): nothing is rendered as a cluster.',
  },
  {
    id: 'render/cluster-not-rendered',
    source: 'render',
    defaultSeverity: 'warning',
    description:
      "A cluster's sync reads a source that is not this repository as it stands (an OCI artifact): nothing of the cluster is rendered until it is mapped with sources.",
  },
  {
    id: 'render/nothing-checked',
    source: 'render',
    defaultSeverity: 'warning',
    description:
      'The run found no Kubernetes manifest, kustomization or Flux object to check: the wrong directory, or an empty repository.',
  },
  {
    id: 'render/source-mapped',
    source: 'render',
    defaultSeverity: 'info',
    description:
      "A cluster's sync is taken as a directory of this repository: an OCI artifact that CI pushes from it (flux push artifact --path), or a Git URL that is not one of its remotes (a renamed or forked repository).",
  },
]);
