import { defineRules } from './rule-meta.js';

export const kustomizeRules = defineRules([
  {
    id: 'kustomize/build-failed',
    source: 'kustomize',
    defaultSeverity: 'error',
    description:
      'kustomize (or Flux building with it) fails on this target; reported at the entry that caused it.',
  },
  {
    id: 'kustomize/deprecated',
    source: 'kustomize',
    defaultSeverity: 'info',
    description:
      'A kustomization uses a deprecated field (commonLabels, patchesStrategicMerge, bases, vars...).',
  },
  {
    id: 'kustomize/unlisted-file',
    source: 'kustomize',
    defaultSeverity: 'warning',
    description: 'A manifest beside a kustomization that no kustomization reads: Flux does not apply it.',
  },
]);
