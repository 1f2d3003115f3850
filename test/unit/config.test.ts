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
    [
      'unknown top-level key',
      'clusterroots: []\n',
      1,
      /unknown key "clusterroots" \(did you mean "clusterRoots"\?\)/,
    ],
    [
      'unknown key deeper, at its line',
      'clusters:\n  dev:\n    contxt: x\n',
      3,
      /clusters\.dev: unknown key "contxt" \(did you mean "context"\?\)/,
    ],
    ['bad enum', 'failLevel: fatal\n', 1, /failLevel: "fatal" is not one of error, warning, info$/],
    [
      'enum typo',
      'tenancy: multy\n',
      1,
      /tenancy: "multy" is not one of single, multi \(did you mean "multi"\?\)/,
    ],
    [
      'unknown rule id',
      'rules:\n  yaml/duplicate-keys: off\n',
      2,
      /unknown rule "yaml\/duplicate-keys" \(did you mean "yaml\/duplicate-key"\?\)/,
    ],
    [
      'unknown policy rule id without user policies',
      'rules:\n  policy/image-tag-pinend: warning\n',
      2,
      /unknown rule "policy\/image-tag-pinend" \(did you mean "policy\/image-tag-pinned"\?\)/,
    ],
    [
      'a rule path as written, not as a JSON pointer',
      'rules:\n  yaml/duplicate-key: warnin\n',
      2,
      /^\.fluxgate\.yaml:2: rules\.yaml\/duplicate-key: "warnin" is not one of error, warning, info, off \(did you mean "warning"\?\)$/,
    ],
    [
      'an unquoted version',
      'clusters:\n  dev:\n    kubernetesVersion: 1.30\n',
      3,
      /clusters\.dev\.kubernetesVersion: must be a string: quote it \(unquoted, YAML reads the number 1\.3\)/,
    ],
    [
      'a version that is none',
      'clusters:\n  dev:\n    fluxVersion: banana\n',
      3,
      /"banana" is not a version/,
    ],
    ['YAML syntax error', 'exclude: [a\n', 1, /\.fluxgate\.yaml:1:/],
  ])('%s is a ConfigError with the line', (_name, text, line, message) => {
    const error = configError(text);
    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`.fluxgate.yaml:${line}:`);
    expect(error.exitCode).toBe(2);
    expect(error.message).not.toContain('~1');
  });

  it('reports every problem at once, in file order, each at its line', () => {
    const error = configError(
      'failLevel: warnin\nrules:\n  policy/image-tag-pinend: warning\n  yaml/duplicate-key: { severity: eror }\nkustomise: {}\n',
    );
    expect(error.message.split('\n')).toEqual([
      '.fluxgate.yaml:1: failLevel: "warnin" is not one of error, warning, info (did you mean "warning"?)',
      '.fluxgate.yaml:3: rules: unknown rule "policy/image-tag-pinend" (did you mean "policy/image-tag-pinned"?) (see `fluxgate rules`)',
      '.fluxgate.yaml:4: rules.yaml/duplicate-key.severity: "eror" is not one of error, warning, info, off (did you mean "error"?)',
      '.fluxgate.yaml:5: config: unknown key "kustomise" (did you mean "kustomize"?)',
    ]);
    expect(error.line).toBe(1);
  });

  it('accepts rule ids under policy/ when user policies may define them', () => {
    const root = tempRepo({ '.fluxgate.yaml': 'rules:\n  policy/team-rule: warning\n' });
    expect(loadConfig(root, undefined, { userPolicies: true }).config.rules).toEqual({
      'policy/team-rule': 'warning',
    });
  });
});
