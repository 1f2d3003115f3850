import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostic.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

/** 1-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`no line with ${needle}`);
  return index + 1;
}

const GOTK_SYNC = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: ssh://git@github.com/example/fleet
  ref:
    branch: main
  secretRef:
    name: flux-system
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/prod-aks
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

const APPS = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/prod
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      sidecar_tag: latest
`;

const CACHE = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cache
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/cache
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substituteFrom:
      - kind: Secret
        name: registry-tags
`;

const CACHE_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: cache
  namespace: web
spec:
  selector:
    matchLabels:
      app: cache
  template:
    metadata:
      labels:
        app: cache
    spec:
      containers:
        - name: cache
          image: redis:\${redis_tag}
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:latest
        - name: sidecar
          image: busybox:\${sidecar_tag}
`;

const DEBUG_POD = `apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: tools
spec:
  containers:
    - name: debug
      image: alpine
`;

const kustomization = (...resources: string[]) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}\n`).join('')}`;

function fleet(extra: Record<string, string> = {}): string {
  return tempRepo({
    'clusters/prod-aks/flux-system/gotk-sync.yaml': GOTK_SYNC,
    'clusters/prod-aks/apps.yaml': APPS,
    'clusters/prod-aks/cache.yaml': CACHE,
    'apps/cache/kustomization.yaml': kustomization('deployment.yaml'),
    'apps/cache/deployment.yaml': CACHE_DEPLOYMENT,
    'apps/base/web/kustomization.yaml': kustomization('deployment.yaml'),
    'apps/base/web/deployment.yaml': DEPLOYMENT,
    'apps/prod/kustomization.yaml': kustomization('../base/web'),
    'tools/debug/kustomization.yaml': kustomization('pod.yaml'),
    'tools/debug/pod.yaml': DEBUG_POD,
    ...extra,
  });
}

async function findings(
  root: string,
  args: string[] = [],
): Promise<{ code: number; diagnostics: Diagnostic[] }> {
  const run = await runCli(['validate', '--format', 'json', '--fail-level', 'info', ...args], { cwd: root });
  expect(run.stderr).toBe('');
  return { code: run.code, diagnostics: JSON.parse(run.stdout).diagnostics };
}

const only = (ds: Diagnostic[], ruleId: string) =>
  ds
    .filter((d) => d.ruleId === ruleId)
    .map((d) => ({ file: d.file, line: d.line, severity: d.severity, cluster: d.cluster }));

describe('built-in policies through the CLI', () => {
  it('reports a rendered object at the line the user edits, once per cluster, with its resource and help', async () => {
    const root = fleet();
    const { diagnostics } = await findings(root);
    const pinned = diagnostics.filter((d) => d.ruleId === 'policy/image-tag-pinned');
    expect(only(pinned, 'policy/image-tag-pinned')).toEqual([
      // The base file, where the tag is written.
      {
        file: 'apps/base/web/deployment.yaml',
        line: lineOf(DEPLOYMENT, 'nginx:latest'),
        severity: 'error',
        cluster: 'prod-aks',
      },
      // Substituted by Flux from postBuild.substitute: reported where ${sidecar_tag} is used.
      {
        file: 'apps/base/web/deployment.yaml',
        line: lineOf(DEPLOYMENT, 'sidecar_tag'),
        severity: 'error',
        cluster: 'prod-aks',
      },
      // Not in a cluster (a kustomization no Flux Kustomization applies): capped at unreachedSeverity.
      {
        file: 'tools/debug/pod.yaml',
        line: lineOf(DEBUG_POD, 'image: alpine'),
        severity: 'warning',
        cluster: undefined,
      },
    ]);
    // ${redis_tag} comes from a Secret outside Git: unknown, so no verdict.
    expect(pinned.some((d) => d.message.includes('redis'))).toBe(false);
    expect(pinned[0]).toMatchObject({
      source: 'policy',
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'web', name: 'web' },
      path: '/spec/template/spec/containers/0/image',
      helpUri: 'https://github.com/fluxgate-dev/fluxgate/blob/main/docs/rules/policy-image-tag-pinned.md',
    });
  });

  it('honours rules.<id> from config: off, severity, and validated options', async () => {
    const off = fleet({ '.fluxgate.yaml': 'rules:\n  policy/image-tag-pinned: off\n' });
    expect(only((await findings(off)).diagnostics, 'policy/image-tag-pinned')).toEqual([]);

    const info = fleet({ '.fluxgate.yaml': 'rules:\n  policy/image-tag-pinned: info\n' });
    expect(
      only((await findings(info)).diagnostics, 'policy/image-tag-pinned').map((d) => d.severity),
    ).toEqual(['info', 'info', 'info']);

    const digest = fleet({
      '.fluxgate.yaml':
        'rules:\n  policy/image-tag-pinned:\n    options:\n      mutableTags: [latest, "1.27"]\n',
      'apps/base/web/deployment.yaml': DEPLOYMENT.replace('nginx:latest', 'nginx:1.27'),
    });
    expect(only((await findings(digest)).diagnostics, 'policy/image-tag-pinned')).toHaveLength(3);

    const typo = fleet({
      '.fluxgate.yaml': 'rules:\n  policy/image-tag-pinned:\n    options:\n      requireDigests: true\n',
    });
    const run = await runCli(['validate'], { cwd: typo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('rules.policy/image-tag-pinned.options: unknown option "requireDigests"');
  });

  it('judges Secret values as committed: placeholders substituted by Flux, generators over SOPS files', async () => {
    const secret = `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: web
stringData:
  password: \${db_password}
`;
    const generator = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base/web
  - secret.yaml
secretGenerator:
  - name: api-token
    namespace: web
    envs:
      - token.enc.env
  - name: literal
    namespace: web
    literals:
      - token=hunter2
`;
    const root = fleet({
      'clusters/prod-aks/apps.yaml': APPS.replace(
        'sidecar_tag: latest',
        'sidecar_tag: latest\n      db_password: not-a-real-password-CANARY',
      ),
      'apps/prod/kustomization.yaml': generator,
      'apps/prod/secret.yaml': secret,
      'apps/prod/token.enc.env':
        'token=ENC[AES256_GCM,data:abc=,iv:def=,tag:ghi=,type:str]\nsops_version=3.9.0\nsops_mac=ENC[AES256_GCM,data:x=,iv:y=,tag:z=,type:str]\n',
    });
    const run = await runCli(['validate', '--format', 'json'], { cwd: root });
    expect(run.stdout).not.toContain('CANARY');
    const diagnostics = JSON.parse(run.stdout).diagnostics as Diagnostic[];
    // Only the Secret generated from a literal; kustomize's origin names the generator list, not
    // the entry, so the line is the render stage's to refine.
    const found = diagnostics.filter((d) => d.ruleId === 'policy/secret-encrypted');
    expect(found.map((d) => [d.file, d.resource?.name.replace(/-[a-z0-9]{10}$/, ''), d.cluster])).toEqual([
      ['apps/prod/kustomization.yaml', 'literal', 'prod-aks'],
    ]);
  });

  it('checks the repository structure (repo scope) per cluster', async () => {
    const root = fleet({
      'clusters/prod-aks/apps.yaml': APPS.replace('./apps/prod', './apps/dev'),
      'apps/dev/kustomization.yaml': kustomization('../base/web'),
    });
    const { diagnostics } = await findings(root);
    expect(only(diagnostics, 'policy/separate-env-overlays')).toEqual([
      {
        file: 'clusters/prod-aks/apps.yaml',
        line: lineOf(APPS, 'path:'),
        severity: 'error',
        cluster: 'prod-aks',
      },
    ]);
  });
});

const TEAM_POLICY = `package main

import rego.v1

# METADATA
# title: No NodePort services
# description: NodePort services bypass the ingress.
# related_resources:
#   - ref: https://wiki.example.com/no-nodeport
# custom:
#   id: policy/team-no-nodeport
#   severity: warning
deny_nodeport contains {"msg": msg, "path": "/spec/type"} if {
  input.kind == "Service"
  input.spec.type == "NodePort"
  msg := sprintf("Service %s is a NodePort", [input.metadata.name])
}
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: web
spec:
  selector:
    app: web
  type: NodePort
  ports:
    - port: 80
`;

describe('user policies through the CLI', () => {
  it('takes the rule id, severity and help from METADATA and places the result path', async () => {
    const root = tempRepo({ 'policy/team.rego': TEAM_POLICY, 'manifests/service.yaml': SERVICE });
    const { code, diagnostics } = await findings(root, ['--policy', 'policy']);
    expect(code).toBe(1);
    expect(diagnostics.filter((d) => d.source === 'policy')).toEqual([
      expect.objectContaining({
        ruleId: 'policy/team-no-nodeport',
        severity: 'warning',
        message: 'Service web is a NodePort',
        file: 'manifests/service.yaml',
        line: lineOf(SERVICE, 'type: NodePort'),
        path: '/spec/type',
        helpUri: 'https://wiki.example.com/no-nodeport',
      }),
    ]);
  });

  it('reads policies: from config, with a namespace, and evaluates cluster-scope packages', async () => {
    const root = fleet({
      '.fluxgate.yaml': 'policies:\n  - path: policy\n    namespace: fleet\n',
      'policy/fleet.rego': `# METADATA
# custom:
#   scope: cluster
package fleet

import rego.v1

deny contains {"msg": "a cluster runs at most one web Deployment", "index": i} if {
  some i, entry in input.resources
  entry.object.kind == "Deployment"
  entry.kustomization.name == "apps"
}
`,
      'policy/ignored.rego': 'package main\n\nimport rego.v1\n\ndeny contains "never evaluated" if true\n',
    });
    const { diagnostics } = await findings(root);
    const own = diagnostics.filter(
      (d) => d.ruleId.startsWith('policy/fleet') || d.message === 'never evaluated',
    );
    expect(own).toEqual([
      expect.objectContaining({
        ruleId: 'policy/fleet-deny',
        severity: 'error',
        file: 'apps/base/web/deployment.yaml',
        line: 1,
        cluster: 'prod-aks',
        resource: expect.objectContaining({ kind: 'Deployment', name: 'web' }),
      }),
    ]);
  });

  it("a policy that does not compile is exit 2 with opa's file and line", async () => {
    const root = tempRepo({
      'policy/bad.rego': 'package main\n\ndeny contains msg if {\n  msg := \n}\n',
      'a.yaml': SERVICE,
    });
    const run = await runCli(['validate', '--policy', 'policy'], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.rego:\d+/);
  });

  it('a built-in function the wasm host lacks is exit 2, by name', async () => {
    const root = tempRepo({
      'policy/net.rego':
        'package main\n\nimport rego.v1\n\ndeny contains "x" if http.send({"method": "get", "url": input.u})\n',
      'a.yaml': SERVICE,
    });
    const run = await runCli(['validate', '--policy', 'policy'], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('http.send');
  });

  it('without opa, user policies are exit 2 saying how to get it', async () => {
    const root = tempRepo({ 'policy/team.rego': TEAM_POLICY, 'manifests/service.yaml': SERVICE });
    const empty = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-no-tools-'));
    const run = await runCli(['validate', '--policy', 'policy'], {
      cwd: root,
      env: { PATH: empty, FLUXGATE_TOOLS_DIR: empty },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('needs opa');
    expect(run.stderr).toContain('and put it on PATH (https://www.openpolicyagent.org');
    // Built-in policies alone never need opa.
    const builtin = await runCli(['validate', '--format', 'json'], {
      cwd: root,
      env: { PATH: empty, FLUXGATE_TOOLS_DIR: empty },
    });
    expect(builtin.stderr).toBe('');
  });

  it('a missing policy directory is a usage error', async () => {
    const root = tempRepo({ 'a.yaml': SERVICE });
    const run = await runCli(['validate', '--policy', 'nowhere'], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nowhere: not a directory');
  });
});

describe('fluxgate policy test', () => {
  const passing = {
    'policy/team.rego': TEAM_POLICY,
    'policy/team_test.rego':
      'package main\n\nimport rego.v1\n\ntest_nodeport if {\n  count(deny_nodeport) == 1 with input as {"kind": "Service", "metadata": {"name": "a"}, "spec": {"type": "NodePort"}}\n}\n',
  };

  it('runs opa test over the built-in and the given policies: 0 when all pass', async () => {
    const root = tempRepo(passing);
    const run = await runCli(['policy', 'test', 'policy'], { cwd: root });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ok: built-in policies');
    expect(run.stdout).toContain('ok: policy');
  });

  it('1 when a test fails, 2 when a policy does not load', async () => {
    const failing = tempRepo({
      ...passing,
      'policy/team_test.rego':
        'package main\n\nimport rego.v1\n\ntest_wrong if {\n  count(deny_nodeport) == 1\n}\n',
    });
    const failed = await runCli(['policy', 'test', 'policy'], { cwd: failing });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('FAILED: policy');

    const broken = tempRepo({ 'policy/bad.rego': 'package main\n\ndeny contains msg if {\n' });
    const error = await runCli(['policy', 'test', 'policy'], { cwd: broken });
    expect(error.code).toBe(2);
    expect(error.stderr).toMatch(/bad\.rego:\d+/);
  });

  it('also tests the directories of policies: in the config, with their Rego version', async () => {
    const root = tempRepo({
      '.fluxgate.yaml': 'policies:\n  - path: legacy\n    regoVersion: v0\n',
      'legacy/old.rego': 'package main\n\ndeny[msg] {\n  input.kind == "Service"\n  msg := "no"\n}\n',
      'legacy/old_test.rego':
        'package main\n\ntest_service {\n  deny["no"] with input as {"kind": "Service"}\n}\n',
    });
    const run = await runCli(['policy', 'test'], { cwd: root });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ok: legacy');
  });
});
