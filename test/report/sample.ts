import { type Diagnostic, type ResourceId, sortDiagnostics } from '../../src/core/diagnostic.js';
import type { FormatContext } from '../../src/report/formatter.js';
import { helpUri } from '../../src/rules/rule-meta.js';

const web: ResourceId = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'web', name: 'web' };
const latest: Diagnostic = {
  ruleId: 'policy/no-latest-tag',
  severity: 'error',
  message: 'image "nginx:latest" uses the latest tag; pin a version',
  file: 'apps/base/web/deployment.yaml',
  line: 21,
  column: 18,
  endLine: 21,
  endColumn: 30,
  resource: web,
  path: '/spec/template/spec/containers/0/image',
  source: 'policy',
  helpUri: 'https://policies.example.com/no-latest-tag',
};

/**
 * The golden input: a base line rendered into two clusters (one entry, except in json and junit),
 * every severity, registry and non-registry rules, a multi-line range, a finding without resource or
 * cluster in a file whose name needs escaping, and a message full of characters that need escaping.
 */
export const SAMPLE: Diagnostic[] = sortDiagnostics([
  { ...latest, cluster: 'staging' },
  { ...latest, cluster: 'production' },
  {
    ruleId: 'yaml/duplicate-key',
    severity: 'error',
    message: 'duplicate key "replicas" in a mapping',
    file: 'apps/base/web/deployment.yaml',
    line: 9,
    column: 3,
    endLine: 9,
    endColumn: 11,
    resource: web,
    cluster: 'production',
    source: 'yaml',
    helpUri: helpUri('yaml/duplicate-key'),
  },
  {
    ruleId: 'refs/unused-source',
    severity: 'warning',
    message: 'GitRepository "podinfo" is not referenced by any Kustomization',
    file: 'clusters/staging/sources.yaml',
    line: 4,
    column: 1,
    endLine: 12,
    endColumn: 1,
    resource: {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      namespace: 'flux-system',
      name: 'podinfo',
    },
    cluster: 'staging',
    source: 'refs',
  },
  {
    ruleId: 'yaml/syntax',
    severity: 'error',
    message:
      'bad value "a<b & c>d" \'q\' 100%; see ]] ::set-output name=x::y\r\nnext ##vso[task.setvariable variable=x]1 \u0007bell\u0000 héllo 🚀',
    file: 'apps/odd dir/100%, a:b;c].yaml',
    line: 3,
    column: 7,
    source: 'yaml',
    helpUri: helpUri('yaml/syntax'),
  },
  {
    ruleId: 'config/unused-suppression',
    severity: 'info',
    message: 'the suppression of yaml/syntax matched no finding',
    file: 'apps/base/web/deployment.yaml',
    line: 2,
    column: 3,
    endLine: 2,
    endColumn: 40,
    source: 'config',
  },
  {
    ruleId: 'policy/prefer-probes',
    severity: 'info',
    message: 'container "web" has no readinessProbe',
    file: 'apps/base/web/deployment.yaml',
    line: 18,
    column: 11,
    resource: web,
    cluster: 'production',
    source: 'policy',
  },
]);

export function sampleContext(overrides: Partial<FormatContext> = {}): FormatContext {
  return {
    summary: {
      files: 5,
      resources: 4,
      clusters: 2,
      errors: 4,
      warnings: 1,
      durationMs: 1234,
      kustomizeVersion: 'v5.5.0',
    },
    sourceLine: () => undefined,
    color: false,
    quiet: false,
    failed: true,
    root: '/work/repo',
    version: '0.0.0-test',
    ...overrides,
  };
}
