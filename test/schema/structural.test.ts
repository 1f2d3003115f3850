import { describe, expect, it } from 'vitest';
import { schemaFindings } from './helpers.js';

describe('structural schema semantics', () => {
  it('null in an optional field means unset (creationTimestamp: null is fine)', async () => {
    const findings = await schemaFindings({
      'cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  creationTimestamp: null
  labels: null
data:
  a: b
immutable: null
`,
    });
    expect(findings).toEqual([]);
  });

  it('null where a required field must be is still missing; null list items are errors', async () => {
    const findings = await schemaFindings({
      'deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {}
  template:
    spec:
      containers:
        - name: app
          args: [a, null]
  strategy: null
`,
    });
    expect(findings.map((f) => [f.line, f.message])).toEqual([
      [11, 'spec.template.spec.containers[0].args[1]: expected string, found null'],
    ]);
  });

  it('int-or-string accepts both, and nothing else', async () => {
    const ok = await schemaFindings({
      'deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {}
  template: {}
  strategy:
    rollingUpdate: {maxSurge: 1, maxUnavailable: "25%"}
`,
    });
    expect(ok).toEqual([]);
    const bad = await schemaFindings({
      'deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {}
  template: {}
  strategy:
    rollingUpdate: {maxSurge: true}
`,
    });
    expect(bad).toEqual([
      expect.objectContaining({
        message: 'spec.strategy.rollingUpdate.maxSurge: expected integer or string, found boolean true',
        line: 8,
        column: 31,
      }),
    ]);
  });

  it('x-kubernetes-preserve-unknown-fields keeps any content', async () => {
    const findings = await schemaFindings({
      'deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}, anything: [1, 2]}
  template: {}
  extra: {whatever: {nested: true}}
`,
    });
    expect(findings).toEqual([]);
  });

  it('list-type map: items unique by their keys (with defaults); set: unique values', async () => {
    const findings = await schemaFindings({
      'svc.yaml': `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  externalIPs: [10.0.0.1, 10.0.0.1]
  ports:
    - port: 80
    - port: 80
      protocol: TCP
    - port: 80
      protocol: UDP
`,
    });
    expect(findings.map((f) => [f.line, f.column, f.message])).toEqual([
      [5, 27, 'duplicate value "10.0.0.1" (also at index 0)'],
      [8, 7, 'duplicate entry with port 80, protocol "TCP" (also at index 0)'],
    ]);
  });

  it('list-type map on containers: a repeated name is reported at the second one', async () => {
    const findings = await schemaFindings({
      'deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {}
  template:
    spec:
      containers:
        - name: app
        - name: app
`,
    });
    expect(findings).toEqual([
      expect.objectContaining({ line: 10, message: 'duplicate entry with name "app" (also at index 0)' }),
    ]);
  });

  it('SOPS-encrypted Secrets: the sops metadata and ENC[...] values are not findings', async () => {
    const findings = await schemaFindings({
      'secret.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: creds
type: Opaque
stringData:
  password: ENC[AES256_GCM,data:3q2+7w==,iv:abc=,tag:def=,type:str]
immutable: ENC[AES256_GCM,data:dHJ1ZQ==,iv:abc=,tag:def=,type:bool]
sops:
  kms: []
  age:
    - recipient: age1example
      enc: |
        -----BEGIN AGE ENCRYPTED FILE-----
  lastmodified: "2026-01-01T00:00:00Z"
  mac: ENC[AES256_GCM,data:abc=,iv:abc=,tag:abc=,type:str]
  encrypted_regex: ^(data|stringData)$
  version: 3.9.0
`,
    });
    expect(findings).toEqual([]);
  });

  it('a Secret without SOPS metadata gets no such excuse', async () => {
    const findings = await schemaFindings({
      'secret.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nimmutable: ENC[AES256_GCM,data:dHJ1ZQ==,type:bool]\nsops: {}\n',
    });
    expect(findings.map((f) => f.ruleId)).toEqual(['schema/invalid', 'schema/unknown-field']);
  });
});
