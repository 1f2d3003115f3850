import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/core/errors.js';
import { tempRepo } from '../helpers/temp-repo.js';

function configError(text: string): ConfigError {
  const root = tempRepo({ '.fluxgate.yaml': text });
  try {
    loadConfig(root);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives defaults without a config file', () => {
    const { config } = loadConfig(tempRepo({}));
    expect(config.clusterRoots).toEqual(['clusters/*']);
    expect(config.unreachedSeverity).toBe('warning');
  });

  it('reads every reserved key', () => {
    const root = tempRepo({
      '.fluxgate.yaml': `exclude: ['legacy/**']
failLevel: warning
clusterRoots: ['clusters/*']
clusters:
  prod-aks: { context: aks-prod, environment: production, kubernetesVersion: '1.33', fluxVersion: 2.9.4 }
sources:
  GitRepository/flux-system/tenant-a: ../tenant-a
environments:
  production: [prod, prd]
tenancy: multi
unreachedSeverity: info
rules:
  yaml/duplicate-key: warning
  policy/my-team-rule: { severity: error, options: { x: 1 } }
policies: [policy, { path: legacy-policy, regoVersion: v0 }]
schemaLocations: ['https://example.invalid/{{ .ResourceKind }}.json']
kustomize: { bin: /usr/local/bin/kustomize, timeoutSeconds: 30, concurrency: 2 }
network: { remoteBases: false, schemas: true }
`,
    });
    const { config } = loadConfig(root);
    expect(config.tenancy).toBe('multi');
    expect(config.clusters['prod-aks']?.environment).toBe('production');
    expect(config.rules['yaml/duplicate-key']).toBe('warning');
  });

  it.each([
    ['unknown top-level key', 'clusterroots: []\n', 1, /unknown key "clusterroots"/],
    [
      'unknown key deeper, at its line',
      'clusters:\n  dev:\n    contxt: x\n',
      3,
      /clusters\.dev: unknown key "contxt"/,
    ],
    ['bad enum', 'failLevel: fatal\n', 1, /failLevel: must be one of error, warning, info/],
    ['unknown rule id', 'rules:\n  yaml/duplicate-keys: off\n', 2, /unknown rule "yaml\/duplicate-keys"/],
    ['YAML syntax error', 'exclude: [a\n', 1, /\.fluxgate\.yaml:1:/],
  ])('%s is a ConfigError with the line', (_name, text, line, message) => {
    const error = configError(text);
    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`.fluxgate.yaml:${line}:`);
    expect(error.exitCode).toBe(2);
  });
});
