import { defineRules } from './rule-meta.js';

/** Findings of rendering HelmReleases (model/helm/): what only rendering the chart shows. */
export const helmRules = defineRules([
  {
    id: 'helm/values-schema',
    source: 'render',
    defaultSeverity: 'error',
    description:
      "A HelmRelease's values do not meet the chart's values.schema.json: Helm refuses to install or upgrade the release.",
  },
  {
    id: 'helm/render-failed',
    source: 'render',
    defaultSeverity: 'error',
    description:
      "A HelmRelease's chart does not render (a template error, a missing chart path or dependency, a post-renderer that fails): the release fails.",
  },
  {
    id: 'helm/post-renderer-no-match',
    source: 'render',
    defaultSeverity: 'warning',
    description:
      'A HelmRelease post-renderer patch selects no object the chart renders, so it changes nothing.',
  },
]);
