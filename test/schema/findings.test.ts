import { describe, expect, it } from 'vitest';
import { schemaFindings } from './helpers.js';

describe('schema findings at the line and column', () => {
  it('unknown field: at its key, with a "did you mean" from the allowed names', async () => {
    const findings = await schemaFindings({
      'apps/cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
dta:
  a: b
`,
    });
    expect(findings).toEqual([
      {
        ruleId: 'schema/unknown-field',
        severity: 'error',
        message: 'unknown field "dta" (did you mean "data"?)',
        file: 'apps/cm.yaml',
        line: 5,
        column: 1,
      },
    ]);
  });

  it('wrong type: expected vs found, at the value', async () => {
    const findings = await schemaFindings({
      'apps/deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "3"
  selector: {}
  template: {}
`,
    });
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'schema/invalid',
        message: 'spec.replicas: expected integer, found string "3"',
        line: 6,
        column: 13,
      }),
    ]);
  });

  it('missing required field: at the key of the object that lacks it', async () => {
    const findings = await schemaFindings({
      'apps/deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {}
`,
    });
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'schema/invalid',
        message: 'missing required field "spec.template"',
        line: 5,
        column: 1,
      }),
    ]);
  });

  it('enum: lists the allowed values', async () => {
    const findings = await schemaFindings({
      'svc.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - port: 80
      protocol: HTTP
`,
    });
    expect(findings).toEqual([
      expect.objectContaining({
        message: 'spec.ports[0].protocol: expected one of "SCTP", "TCP", "UDP"; found string "HTTP"',
        line: 8,
        column: 17,
      }),
    ]);
  });

  it('metadata name and label formats, as the API server checks ObjectMeta', async () => {
    const findings = await schemaFindings({
      'cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: My_Settings
  labels:
    app/x/y: web
    tier: "front end"
`,
    });
    expect(findings.map((f) => [f.line, f.column, f.message.slice(0, 30)])).toEqual([
      [4, 9, 'metadata.name "My_Settings" mu'],
      [6, 5, 'label key "app/x/y": a qualifi'],
      [7, 11, 'label value "front end" for "t'],
    ]);
  });

  it('a Service name must be a DNS-1123 label (no dots)', async () => {
    const findings = await schemaFindings({
      'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web.example\n',
    });
    expect(findings).toEqual([
      expect.objectContaining({ line: 4, message: expect.stringContaining('RFC 1123 label') }),
    ]);
  });

  it('no schema: one warning per kind, at the first object, an error with requireSchemas', async () => {
    const files = {
      'a.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: a\n',
      'b.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: b\n',
    };
    const warn = await schemaFindings(files);
    expect(warn).toEqual([
      expect.objectContaining({
        ruleId: 'schema/missing',
        severity: 'warning',
        file: 'a.yaml',
        line: 2,
        column: 7,
        message: expect.stringContaining('no schema for example.com/v1 Widget (2 objects'),
      }),
    ]);
    const error = await schemaFindings(files, { requireSchemas: true });
    expect(error).toEqual([expect.objectContaining({ ruleId: 'schema/missing', severity: 'error' })]);
  });

  it('does not validate kustomize configuration, patches, or objects with Flux variables', async () => {
    const findings = await schemaFindings({
      'apps/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [cm.yaml]
patches:
  - path: patch.yaml
`,
      'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\ndata:\n  a: b\n',
      'apps/patch.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n',
      'apps/subst.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nbogus: \${CLUSTER}\n`,
    });
    expect(findings).toEqual([]);
  });
});
