import { describe, expect, it } from 'vitest';
import { SchemaCompiler } from '../../src/schema/compiler.js';
import type { KindSchema } from '../../src/schema/types.js';
import { validateObject } from '../../src/schema/validate-object.js';
import { schemaFindings } from './helpers.js';

const policy = (spec: string) => `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: web, namespace: apps }
spec:
${spec}`;

describe('allOf/anyOf/oneOf are value validations, not lists of fields', () => {
  // Cilium's spec: oneOf [{required: [endpointSelector]}, {required: [nodeSelector]}] and anyOf
  // [{required: [ingress]}, ...]. Each branch names one field; the others are still allowed.
  it('accepts a policy with a selector, ingress and egress (bjw-s-labs/home-ops)', async () => {
    const text = policy(`  endpointSelector: { matchLabels: { app: web } }
  ingress: [{ fromEndpoints: [{ matchLabels: { app: gateway } }] }]
  egress: [{ toEndpoints: [{ matchLabels: { app: db } }] }]
`);
    expect(await schemaFindings({ 'policy.yaml': text })).toEqual([]);
  });

  it('still rejects what no branch allows, and unknown fields', async () => {
    const found = await schemaFindings({
      'policy.yaml': policy(`  ingress: [{ fromEndpoints: [{ matchLabels: { app: gateway } }] }]
  egres: []
`),
    });
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([
      ['schema/invalid', 5],
      ['schema/unknown-field', 6],
    ]);
  });
});

describe('a required field whose value is unknown', () => {
  const kind: KindSchema = {
    ref: 'root',
    set: {
      id: 'test/required-unknown',
      origin: 'test',
      dialect: 'structural',
      definitions: {
        root: {
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              required: ['project'],
              properties: { project: { type: 'string' } },
            },
          },
        },
      },
    },
  };

  // A SOPS-encrypted substitution variable leaves the value null (allenporter/k8s-gitops).
  it('is not missing', () => {
    const value = { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'x' }, spec: { project: null } };
    const compiler = new SchemaCompiler();
    expect(validateObject(value, kind, compiler, ['/spec/project'])).toEqual([]);
    expect(validateObject(value, kind, compiler).map((p) => p.message)).toEqual([
      'missing required field "spec.project"',
    ]);
  });
});
