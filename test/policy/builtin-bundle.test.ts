import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBuiltinPolicies, builtinSourceHash } from '../../src/policy/build-builtin.js';
import { builtinMeta, builtinWasm } from '../../src/policy/builtin-meta.js';
import { jsonBuffer, PolicyModule } from '../../src/policy/policy-module.js';
import { builtinSet, evaluateScope } from '../../src/policy/policy-set.js';
import { policyRules } from '../../src/rules/policy-rules.js';
import { RULES } from '../../src/rules/registry.js';
import { pinnedTool } from '../helpers/tools.js';

const POLICIES = path.resolve(import.meta.dirname, '../../policies');

/** The rows of the rule table in policies/README.md: id, scope, default severity. */
function readmeTable(): { id: string; scope: string; severity: string }[] {
  const text = readFileSync(path.join(POLICIES, 'README.md'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.startsWith('| [`policy/'))
    .map((line) => {
      const cells = line.split('|').map((c) => c.trim());
      return {
        id: /`(policy\/[a-z-]+)`/.exec(cells[1]!)![1]!,
        scope: cells[3]!,
        severity: /^(error|warning)/.exec(cells[4]!)![1]!,
      };
    });
}

describe('the built-in policy bundle (policies/dist)', () => {
  it('is compiled from the current Rego sources (run `npm run generate:policies` after editing policies/)', () => {
    expect(builtinMeta().sourceHash).toBe(builtinSourceHash(POLICIES));
  });

  it('regenerates to the same bytes with the pinned opa', async () => {
    const { wasm, meta } = await buildBuiltinPolicies(POLICIES, pinnedTool('opa'));
    expect(`${JSON.stringify(meta, null, 2)}\n`).toBe(
      readFileSync(path.join(POLICIES, 'dist/meta.json'), 'utf8'),
    );
    expect(Buffer.from(wasm).equals(Buffer.from(builtinWasm()))).toBe(true);
  }, 60_000);

  it('has the ten documented rules, ids, scopes and severities as the README table and the registry', () => {
    const table = readmeTable();
    expect(table).toHaveLength(10);
    const meta = builtinMeta().rules;
    expect(meta.map((r) => ({ id: r.id, scope: r.scope, severity: r.severity }))).toEqual(
      expect.arrayContaining(table),
    );
    expect(meta).toHaveLength(10);
    expect(policyRules.map((r) => ({ id: r.id, severity: r.defaultSeverity }))).toEqual(
      table.map((r) => ({ id: r.id, severity: r.severity })),
    );
    for (const rule of policyRules) expect(RULES).toContain(rule);
    for (const rule of meta) {
      expect(rule.helpUri).toBe(
        `https://github.com/fluxgate-dev/fluxgate/blob/main/docs/rules/${rule.id.replace('/', '-')}.md`,
      );
      expect(rule.title).not.toBe('');
    }
  });

  it('passes a cluster-scope rule only the kinds it declares, and every object once a rule declares none', async () => {
    const meta = builtinMeta();
    expect(meta.rules.find((r) => r.id === 'policy/helm-chart-pinned')?.kinds).toEqual([
      'HelmChart',
      'HelmRelease',
      'OCIRepository',
    ]);
    const module = await PolicyModule.load({ wasm: builtinWasm(), entrypoints: [] });
    expect([...(builtinSet(module, meta, () => true).clusterKinds ?? [])].sort()).toEqual([
      'HelmChart',
      'HelmRelease',
      'OCIRepository',
    ]);
    const undeclared = {
      ...meta,
      rules: [...meta.rules, { ...meta.rules[0]!, id: 'policy/x', package: 'x', scope: 'cluster' as const }],
    };
    expect(builtinSet(module, undeclared, () => true).clusterKinds).toBeUndefined();
  });

  it('evaluates the resource scope in one call with the same results as rule by rule', async () => {
    const module = await PolicyModule.load({ wasm: builtinWasm(), entrypoints: [] });
    const set = builtinSet(module, builtinMeta(), () => true);
    const ruleByRule = { ...set, aggregates: {} };
    module.setData({
      fluxgate: {
        version: 1,
        config: { rules: {} },
        cluster: null,
        environment: null,
        resource: null,
        kustomization: null,
      },
    });
    const objects = [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'a', image: 'nginx', securityContext: { privileged: true } }] },
      },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 'hunter2' } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'r' },
        rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } },
    ];
    let total = 0;
    for (const object of objects) {
      const input = jsonBuffer(JSON.stringify(object));
      const results = evaluateScope(set, 'resource', input);
      expect(results).toEqual(evaluateScope(ruleByRule, 'resource', input));
      total += results.length;
    }
    expect(total).toBeGreaterThan(4);
  });
});

describe('strings OPA cannot read as JSON', () => {
  it('a lone UTF-16 surrogate in a value reaches the policies as U+FFFD, and the rules still fire', async () => {
    const module = await PolicyModule.load({ wasm: builtinWasm(), entrypoints: [] });
    const set = builtinSet(module, builtinMeta(), () => true);
    module.setData({
      fluxgate: {
        version: 1,
        config: { rules: {} },
        cluster: null,
        environment: null,
        resource: null,
        kustomization: null,
      },
    });
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', annotations: { note: 'a\ud800b', path: 'C:\\ud800' } },
      stringData: { password: 'hunter2' },
    };
    const results = evaluateScope(set, 'resource', jsonBuffer(JSON.stringify(secret)));
    expect(results.map((r) => r.message).join('\n')).toContain('Secret');
  });
});
