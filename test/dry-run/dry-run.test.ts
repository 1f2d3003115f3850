// Server-side dry run against a real kube-apiserver + etcd on 127.0.0.1 (test/helpers/apiserver.ts),
// started once for this file; the tests run in order and share it.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../../src/rules/registry.js';
import { validate } from '../../src/validate.js';
import { startTestApiServer, type TestApiServer } from '../helpers/apiserver.js';
import { parseExamples } from '../helpers/rule-examples.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let server: TestApiServer;
const copies: string[] = [];

type D = { ruleId: string; severity: string; file: string; line: number; cluster?: string; message: string };

/** Everything the tests may touch, by kind: names and resourceVersions (no write may change them). */
const WATCHED = [
  '/api/v1/namespaces',
  '/api/v1/services',
  '/api/v1/configmaps',
  '/api/v1/secrets',
  '/api/v1/serviceaccounts',
  '/apis/apps/v1/deployments',
  '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  '/apis/rbac.authorization.k8s.io/v1/rolebindings',
  '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations',
  '/apis/helm.toolkit.fluxcd.io/v2/helmreleases',
  '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
];

async function snapshot(): Promise<string[]> {
  const out: string[] = [];
  for (const p of WATCHED) {
    const res = await server.request('GET', p);
    for (const item of (
      res.body as { items: { metadata: { namespace?: string; name: string; resourceVersion: string } }[] }
    ).items)
      out.push(
        `${p} ${item.metadata.namespace ?? ''}/${item.metadata.name} ${item.metadata.resourceVersion}`,
      );
  }
  return out.sort();
}

function copyOf(dir: string, config: string): string {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-dry-run-'));
  copies.push(copy);
  cpSync(dir, copy, { recursive: true });
  writeFileSync(path.join(copy, '.fluxgate.yaml'), config);
  return copy;
}

async function dryRun(cwd: string, ...args: string[]) {
  const run = await runCli(
    ['validate', '-f', 'json', '--no-cache', '--server-dry-run', '--kubeconfig', server.kubeconfig, ...args],
    { cwd, env: process.env },
  );
  const diagnostics = run.stdout ? (JSON.parse(run.stdout) as { diagnostics: D[] }).diagnostics : [];
  return { ...run, diagnostics, dry: diagnostics.filter((d) => d.ruleId.startsWith('dry-run/')) };
}

const withContexts = (clusters: string[], extra = '') =>
  `clusterRoots: ['clusters/*']\nclusters:\n${clusters.map((c) => `  ${c}:\n    context: admin\n${extra}`).join('')}`;

let before: string[];

beforeAll(async () => {
  server = await startTestApiServer();
  // The example fleets are deployed already: their namespaces exist (objects in them are dry-run).
  const namespaces = new Set<string>();
  for (const fleet of ['aks-fleet', 'aks-fleet-broken']) {
    const result = await validate({
      cwd: path.join(ROOT, 'examples', fleet),
      stages: ['render'],
      render: { env: process.env },
    });
    for (const c of result.clusters)
      for (const r of c.resources) if (r.id.kind === 'Namespace') namespaces.add(r.id.name);
  }
  await server.create(
    [...namespaces, 'team-a'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
  );
  // A tenant service account with rights in its own namespace only.
  await server.create([
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'tenant', namespace: 'team-a' } },
    // (No controller-manager runs, so the aggregated `edit` role is empty: an explicit Role.)
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'tenant-edit', namespace: 'team-a' },
      rules: [{ apiGroups: ['', 'apps'], resources: ['*'], verbs: ['*'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'tenant-edit', namespace: 'team-a' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'tenant-edit' },
      subjects: [{ kind: 'ServiceAccount', name: 'tenant', namespace: 'team-a' }],
    },
    // The tenant user may read what a dry run reads (namespaces), and nothing else.
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'namespace-reader' },
      rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'tenant-namespace-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'namespace-reader' },
      subjects: [{ kind: 'User', name: 'tenant', apiGroup: 'rbac.authorization.k8s.io' }],
    },
    // A platform rule the schemas cannot know: no ConfigMap may say `tier: forbidden`.
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'no-forbidden-tier' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['configmaps'],
            },
          ],
        },
        validations: [
          {
            expression: "!has(object.data) || !('tier' in object.data) || object.data.tier != 'forbidden'",
            message: 'tier forbidden is not allowed',
          },
        ],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'no-forbidden-tier' },
      spec: { policyName: 'no-forbidden-tier', validationActions: ['Deny'] },
    },
  ]);
  before = await snapshot();
}, 240_000);

afterAll(async () => {
  await server?.stop();
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

describe('validate --server-dry-run against a real API server', () => {
  it('passes the clean example fleet', async () => {
    // The example's own config, each cluster mapped to the test server.
    const config = readFileSync(path.join(ROOT, 'examples/aks-fleet/.fluxgate.yaml'), 'utf8');
    const repo = copyOf(
      path.join(ROOT, 'examples/aks-fleet'),
      config.replace(/^( {4}environment: \w+)$/gm, '$1\n    context: admin'),
    );
    const run = await dryRun(repo);
    expect(run.stderr).toBe('');
    expect(run.dry.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(run.code, JSON.stringify(run.diagnostics.filter((d) => d.severity === 'error'))).toBe(0);
  });

  it('reports exactly the server-only mistakes the broken fleet documents, at their lines', async () => {
    const readme = readFileSync(path.join(ROOT, 'examples/aks-fleet-broken/README.md'), 'utf8');
    const expected = [
      ...readme.matchAll(/^\| (dry-run\/[\w-]+) \| (\S+) \| (\d+) \| (\S+) \| --server-dry-run \|$/gm),
    ].map((m) => `${m[1]} ${m[2]}:${m[3]} ${m[4]}`);
    expect(expected.length).toBeGreaterThan(0);
    const repo = copyOf(path.join(ROOT, 'examples/aks-fleet-broken'), withContexts(['dev-aks', 'prod-aks']));
    const run = await dryRun(repo);
    expect(run.code).toBe(1);
    const found = run.dry
      .filter((d) => d.severity !== 'info')
      .map((d) => `${d.ruleId} ${d.file}:${d.line} ${d.cluster}`);
    expect(found.sort()).toEqual(expected.sort());
  });

  it('checks a new namespace and a new CRD locally (info), with no false rejection', async () => {
    const crd = readFileSync(path.join(ROOT, 'docs/rules/dry-run-skipped-new-crd.md'), 'utf8');
    const example = parseExamples(crd).find((e) => e.kind === 'fail')!;
    const repo = tempRepo({
      ...example.files,
      'clusters/test/app.yaml':
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: brand-new\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: brand-new\ndata:\n  a: b\n',
    });
    const run = await dryRun(repo, '--context', 'admin');
    expect(run.dry.map((d) => `${d.ruleId} ${d.severity}`).sort()).toEqual([
      'dry-run/skipped-new-crd info',
      'dry-run/skipped-new-namespace info',
    ]);
  });

  it('reports what only the server validates (a ConfigMap key) at its line', async () => {
    const repo = tempRepo({
      'clusters/test/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keys\n  namespace: default\ndata:\n  fine: a\n  not a key!: b\n',
    });
    const run = await dryRun(repo, '--context', 'admin');
    expect(run.diagnostics.filter((d) => d.ruleId.startsWith('schema/'))).toEqual([]);
    expect(run.dry, JSON.stringify(run.diagnostics) + run.stderr).toHaveLength(1);
    expect(run.dry[0]).toMatchObject({
      ruleId: 'dry-run/rejected',
      severity: 'error',
      file: 'clusters/test/cm.yaml',
      line: 8,
    });
    expect(run.dry[0]!.message).toContain('data[not a key!]');
  });

  it('reports a ValidatingAdmissionPolicy denial in words', async () => {
    const repo = tempRepo({
      'clusters/test/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tiered\n  namespace: default\ndata:\n  tier: forbidden\n',
    });
    const run = await dryRun(repo, '--context', 'admin');
    expect(run.dry).toHaveLength(1);
    expect(run.dry[0]!.message).toContain(
      'the ValidatingAdmissionPolicy no-forbidden-tier (binding no-forbidden-tier) denies it',
    );
    expect(run.dry[0]!.message).toContain('tier forbidden is not allowed');
  });

  const tenantRepo = () =>
    tempRepo({
      'clusters/test/tenant.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: team-a
  namespace: team-a
spec:
  interval: 10m
  path: ./tenants/team-a
  prune: true
  serviceAccountName: tenant
  sourceRef:
    kind: GitRepository
    name: flux-system
    namespace: flux-system
`,
      'tenants/team-a/config.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n  namespace: team-a\ndata:\n  a: b\n',
      'tenants/team-a/admin.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: team-a-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: tenant
    namespace: team-a
`,
    });

  it('--impersonate-flux proves what the tenant service account may not create', async () => {
    const repo = tenantRepo();
    const plain = await dryRun(repo, '--context', 'admin');
    expect(plain.dry.filter((d) => d.ruleId === 'dry-run/rejected')).toEqual([]);
    const run = await dryRun(repo, '--context', 'admin', '--impersonate-flux');
    const rejected = run.dry.filter((d) => d.ruleId === 'dry-run/rejected');
    expect(rejected, JSON.stringify(rejected, null, 1)).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ file: 'tenants/team-a/admin.yaml', line: 1 });
    expect(rejected[0]!.message).toContain('system:serviceaccount:team-a:tenant');
    expect(rejected[0]!.message).toContain('forbids');
  });

  it('a caller who may not impersonate gets exit 2 saying so', async () => {
    const run = await dryRun(tenantRepo(), '--context', 'tenant', '--impersonate-flux');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('may not');
    expect(run.stderr).toContain('impersonate');
  });

  it('an unreachable server or a missing context is exit 2 within seconds, never a hang', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-kubeconfig-'));
    copies.push(dir);
    const kubeconfig = path.join(dir, 'config');
    const config = JSON.parse(readFileSync(server.kubeconfig, 'utf8')) as {
      clusters: { cluster: { server: string } }[];
    };
    config.clusters[0]!.cluster.server = 'https://127.0.0.1:1';
    writeFileSync(kubeconfig, JSON.stringify(config));
    const repo = tempRepo({
      'clusters/test/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: default\n',
    });
    const started = Date.now();
    const down = await runCli(
      ['validate', '--no-cache', '--server-dry-run', '--kubeconfig', kubeconfig, '--context', 'admin'],
      {
        cwd: repo,
        env: process.env,
      },
    );
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('cannot reach the API server');
    expect(Date.now() - started).toBeLessThan(20_000);
    const missing = await dryRun(repo, '--context', 'nope');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('has no context "nope"');
  });

  it('runs every dry-run rule page example as documented', async () => {
    for (const rule of RULES.filter((r) => r.source === 'dry-run')) {
      const page = readFileSync(path.join(ROOT, 'docs/rules', `${rule.id.replace('/', '-')}.md`), 'utf8');
      for (const example of parseExamples(page)) {
        // The cluster `test` has a context; a `clusters:` entry for a cluster the example lacks
        // would be a config error (exit 2).
        const hasTest = Object.keys(example.files).some((f) => f.startsWith('clusters/test/'));
        const repo = tempRepo({
          ...example.files,
          '.fluxgate.yaml': hasTest ? withContexts(['test']) : "clusterRoots: ['clusters/*']\n",
        });
        const run = await dryRun(repo, '--fail-level', 'info');
        const ids = run.diagnostics.map((d) => d.ruleId);
        if (example.kind === 'fail') expect(ids, `${rule.id} fail example`).toContain(rule.id);
        else expect(ids, `${rule.id} pass example`).not.toContain(rule.id);
      }
    }
  });

  it('stored nothing: every object on the server is as it was', async () => {
    expect(await snapshot()).toEqual(before);
  });
});
