// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` in plain strings is Flux's substitution syntax under test.
// The Flux graph of test/fixtures/render/fleet: clusters rendered breadth-first from their roots,
// sources, post-build per cluster, standalone overlays.
import { describe, expect, it } from 'vitest';
import { tempRepo } from '../helpers/temp-repo.js';
import { fleet } from './fleet.js';
import { renderRepo } from './helpers.js';

const ids = (resources: { id: { kind: string; namespace?: string; name: string } }[]) =>
  resources.map((r) => `${r.id.kind}/${r.id.namespace ?? ''}/${r.id.name}`).sort();

describe('the Flux graph', () => {
  it('renders each cluster root breadth-first through its Flux Kustomizations', async () => {
    const render = await fleet();
    expect(render.clusters.map((c) => c.name)).toEqual(['alpha', 'beta']);
    const alpha = render.clusters[0]!;
    expect(ids(alpha.resources)).toEqual([
      'ConfigMap/alpha-apps/prod-monitoring',
      'ConfigMap/alpha-apps/prod-team-a-config',
      'ConfigMap/flux-system/cluster-vars',
      'Deployment/alpha-apps/prod-team-a',
      'GitRepository/flux-system/flux-system',
      'GitRepository/flux-system/tenant',
      'Kustomization/flux-system/apps',
      'Kustomization/flux-system/flux-system',
      'Kustomization/flux-system/infra',
      'Kustomization/flux-system/tenant',
      'Namespace//infra',
      'ResourceQuota/infra/infra-quota',
    ]);
    // The root is the bootstrap Kustomization's own path: its objects are applied by flux-system.
    const cm = alpha.resources.find((r) => r.id.name === 'cluster-vars');
    expect(cm?.appliedBy).toEqual({ namespace: 'flux-system', name: 'flux-system' });
    expect(alpha.resources.find((r) => r.id.name === 'prod-team-a')?.appliedBy).toEqual({
      namespace: 'flux-system',
      name: 'apps',
    });
    expect(render.kustomizeVersion).toMatch(/^v5\./);
  });

  it('applies post-build per cluster: substitute, substituteFrom, then commonMetadata', async () => {
    const render = await fleet();
    const config = render.clusters[0]!.resources.find((r) => r.id.name === 'prod-team-a-config')!;
    expect(config.value.data).toEqual({ REGION: 'eu-west', CLUSTER: 'alpha', STATIC: 'unchanged' });
    expect((config.value.metadata as { labels: Record<string, string> }).labels).toEqual({
      owner: 'platform',
    });
    expect(config.substituted?.map((s) => [s.pointer, s.vars]).sort()).toEqual([
      ['/data/CLUSTER', ['cluster_name']],
      ['/data/REGION', ['region']],
    ]);
    // beta runs Flux 2.8 (config fluxVersion): lenient, so the undefined cluster_name is empty,
    // and Flux substitutes text: `CLUSTER: ${cluster_name}` becomes `CLUSTER: `, a null.
    const beta = render.clusters[1]!.resources.find((r) => r.id.name === 'team-a-config')!;
    expect(beta.value.data).toEqual({ REGION: 'us-east', CLUSTER: null, STATIC: 'unchanged' });
    expect(render.findings.filter((f) => f.ruleId === 'render/undefined-variable')).toEqual([]);
  });

  it('a root made outside Git: the sources of the root Kustomizations stand for this repository', async () => {
    const render = await fleet();
    const beta = render.clusters[1]!;
    expect(beta.targets).toEqual(['repo:clusters/beta', 'repo:platform/beta {}', 'repo:apps/beta {}']);
    expect(beta.resources.find((r) => r.id.name === 'apps')?.appliedBy).toEqual({
      namespace: 'flux-system',
      name: 'platform',
    });
  });

  it('another source is not rendered: one info at its sourceRef', async () => {
    const render = await fleet();
    const external = render.findings.filter((f) => f.ruleId === 'render/external-source');
    expect(external).toMatchObject([
      { severity: 'info', file: 'clusters/alpha/tenant.yaml', cluster: 'alpha', path: '/spec/sourceRef' },
    ]);
    expect(render.clusters[0]!.incomplete).toEqual([
      {
        namespace: 'flux-system',
        name: 'tenant',
        reason: 'external source GitRepository/flux-system/tenant',
        kind: 'external',
      },
    ]);
  });

  it('builds unreached kustomizations alone, but not the bases they include', async () => {
    const render = await fleet();
    expect(render.standalone.map((b) => b.target.path)).toEqual(['overlays/standalone']);
    expect(render.standalone[0]!.resources.map((r) => r.id.name)).toEqual(['shared']);
    const deprecated = render.findings.filter((f) => f.ruleId === 'kustomize/deprecated');
    expect(deprecated).toMatchObject([{ file: 'overlays/standalone/kustomization.yaml', line: 3 }]);
    expect(deprecated[0]?.cluster).toBeUndefined();
  });

  it('without a root Flux uses, no cluster is made up from directories: one warning, files checked as written', async () => {
    const root = tempRepo({
      'fleet/prod/root.yaml':
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: root\n  namespace: flux-system\nspec:\n  interval: 1m\n  path: ./fleet/prod/children\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
      'fleet/prod/children/apps.yaml':
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 1m\n  path: ./apps\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
      'apps/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n',
    });
    const render = await renderRepo(root);
    expect(render.clusters).toEqual([]);
    expect(render.findings).toMatchObject([
      { ruleId: 'render/unreached-root', severity: 'warning', file: 'fleet/prod/children/apps.yaml' },
    ]);
    expect(render.findings[0]?.message).toContain('no cluster root found');
  });

  it('a repository without kustomizations or Flux objects needs no kustomize', async () => {
    const root = tempRepo({ 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n' });
    const render = await renderRepo(root);
    expect(render.kustomizeVersion).toBeNull();
    expect(render.clusters).toEqual([]);
  });
});

describe('substituteFrom', () => {
  const ks = (from: string) =>
    `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 1m\n  path: ./apps\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  postBuild:\n    substituteFrom:\n${from}`;
  const app =
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: default\ndata:\n  HOST: ${host}\n';

  it('an encrypted or absent Secret makes its values unknown: info, no undefined-variable', async () => {
    const root = tempRepo({
      'clusters/c/apps.yaml': ks('      - kind: Secret\n        name: vars\n'),
      'apps/cm.yaml': app,
    });
    const render = await renderRepo(root);
    expect(render.findings.map((f) => [f.ruleId, f.severity, f.file, f.line])).toEqual([
      ['render/unknown-values', 'info', 'clusters/c/apps.yaml', 14],
    ]);
    const cm = render.clusters[0]!.resources.find((r) => r.id.name === 'app')!;
    expect(cm.unknown).toEqual(['/data/HOST']);
  });

  it('a SOPS Secret with visible keys: its keys are unknown, other variables still undefined', async () => {
    const root = tempRepo({
      'clusters/c/apps.yaml': ks('      - kind: Secret\n        name: vars\n'),
      'clusters/c/vars.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: vars\n  namespace: flux-system\nstringData:\n  host: ENC[AES256_GCM,data:eA==,type:str]\nsops:\n  mac: ENC[x]\n',
      'apps/cm.yaml': `${app}  PORT: \${port}\n`,
    });
    const render = await renderRepo(root);
    const rules = render.findings.map((f) => [f.ruleId, f.file, f.line]);
    expect(rules).toContainEqual(['render/unknown-values', 'clusters/c/apps.yaml', 14]);
    expect(rules).toContainEqual(['render/undefined-variable', 'apps/cm.yaml', 8]);
  });

  it('values come from a ConfigMap of the cluster in the Kustomization namespace', async () => {
    const root = tempRepo({
      'clusters/c/apps.yaml': ks('      - kind: ConfigMap\n        name: vars\n'),
      'clusters/c/vars.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vars\n  namespace: flux-system\ndata:\n  host: db.internal\n',
      'apps/cm.yaml': app,
    });
    const render = await renderRepo(root);
    expect(render.findings).toEqual([]);
    expect(render.clusters[0]!.resources.find((r) => r.id.name === 'app')!.value.data).toEqual({
      HOST: 'db.internal',
    });
  });
});
