import { describe, expect, it } from 'vitest';
import { schemaFindings } from './helpers.js';

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  names: {kind: Gadget, plural: gadgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                tags: {type: array, items: {type: string, nullable: true}}
                names: {type: array, items: {type: string}}
                size: {type: integer, minimum: 1, exclusiveMaximum: true, maximum: 10}
                config: {type: object}
`;

describe('CRD schema keywords', () => {
  it('nullable allows null where null is kept (list items); elsewhere null is an error', async () => {
    const gadget =
      'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\nspec:\n  tags: [a, null]\n  names: [b, null]\n';
    expect(await schemaFindings({ 'crd.yaml': crd, 'g.yaml': gadget })).toEqual([
      expect.objectContaining({ line: 6, column: 14, message: 'spec.names[1]: expected string, found null' }),
    ]);
  });

  it("OpenAPI 3.0's boolean exclusiveMaximum; an object without fields keeps nothing", async () => {
    const gadget =
      'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\nspec:\n  size: 10\n  config: {a: 1}\n';
    expect(
      (await schemaFindings({ 'crd.yaml': crd, 'g.yaml': gadget })).map((f) => [f.line, f.message]),
    ).toEqual([
      [5, 'spec.size: must be < 10; found integer 10'],
      [6, 'unknown field "spec.config.a": spec.config allows no fields'],
    ]);
  });

  it('a Kubernetes API version removed in the bundled release: removed-api, not "no schema"', async () => {
    const ingress = 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: web}\nspec: {}\n';
    expect(await schemaFindings({ 'ing.yaml': ingress })).toEqual([
      expect.objectContaining({
        ruleId: 'schema/removed-api',
        line: 1,
        message:
          'extensions/v1beta1 Ingress was removed in Kubernetes 1.22; use apiVersion networking.k8s.io/v1',
      }),
    ]);
  });
});
