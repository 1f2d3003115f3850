// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` is Flux's postBuild syntax here.
// A hub cluster deploying clusters/<spoke>/ to remote clusters (fluxcd/flux2-hub-spoke-example):
// the spoke directories match the default clusterRoots but are not cluster roots; the hub's
// Kustomizations substitute their variables and apply to other clusters.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const spokeKs = (spoke: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenants
  namespace: ${spoke}
spec:
  interval: 10m
  path: ./clusters/${spoke}/tenants
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
    namespace: flux-system
  kubeConfig:
    secretRef:
      name: cluster-kubeconfig
  postBuild:
    substitute:
      CLUSTER_NAME: ${spoke}
`;

const files = {
  'hub/flux-system/gotk-sync.yaml': '# written by flux bootstrap\n',
  'hub/production.yaml': spokeKs('production'),
  'hub/staging.yaml': spokeKs('staging'),
  'clusters/production/tenants/kustomization.yaml': 'resources: [../../../deploy/tenants]\n',
  'clusters/staging/tenants/kustomization.yaml': 'resources: [../../../deploy/tenants]\n',
  'deploy/tenants/kustomization.yaml': 'resources: [flux.yaml]\n',
  'deploy/tenants/flux.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: cert-manager
---
apiVersion: v1
kind: Namespace
metadata:
  name: "\${CLUSTER_NAME}"
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: flux-restricted
  namespace: "\${CLUSTER_NAME}"
`,
};

type D = { ruleId: string; file: string; line: number; cluster?: string; message: string };

async function diagnostics(repo: string): Promise<D[]> {
  const run = await runCli(['validate', '-f', 'json', '--no-cache'], { cwd: repo, env: process.env });
  expect(run.code, run.stderr).toBeLessThan(2);
  return (JSON.parse(run.stdout) as { diagnostics: D[] }).diagnostics;
}

describe('a hub deploying spoke directories under clusters/', () => {
  it('substitutes the hub Kustomizations variables instead of checking ${CLUSTER_NAME} as written', async () => {
    const found = await diagnostics(tempRepo(files));
    expect(found.filter((d) => d.ruleId.startsWith('schema/'))).toEqual([]);
    // The spokes are one cluster, the hub, and the two tenants apply to different remote clusters.
    expect(found.filter((d) => d.ruleId === 'refs/duplicate-owner')).toEqual([]);
    // hub/flux-system/ is bootstrap's layout: the hub is the root, and nothing is guessed.
    expect(found.filter((d) => d.ruleId === 'render/unreached-root')).toEqual([]);
    const run = await runCli(['validate', '-f', 'json', '--no-cache'], {
      cwd: tempRepo(files),
      env: process.env,
    });
    const { coverage } = (JSON.parse(run.stdout) as { summary: { coverage: { clusters: unknown[] } } })
      .summary;
    expect(coverage.clusters).toMatchObject([
      // The root sync (made by flux bootstrap) and the two spokes' Kustomizations.
      { name: 'hub', root: 'hub', from: 'bootstrap', kustomizations: { total: 3, rendered: 3, remote: 2 } },
    ]);
  });

  it('an explicit clusterRoots is taken as written', async () => {
    const found = await diagnostics(
      tempRepo({ ...files, '.fluxgate.yaml': 'clusterRoots: ["clusters/*"]\n' }),
    );
    expect(found.some((d) => d.ruleId === 'schema/invalid' && d.file === 'deploy/tenants/flux.yaml')).toBe(
      true,
    );
  });

  it('two Kustomizations applying one object to the same cluster still conflict', async () => {
    const local = (name: string) =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ./deploy/shared
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;
    const found = await diagnostics(
      tempRepo({
        'clusters/prod/a.yaml': local('a'),
        'clusters/prod/b.yaml': local('b'),
        'deploy/shared/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shared\n',
      }),
    );
    expect(found.filter((d) => d.ruleId === 'refs/duplicate-owner').length).toBe(2);
  });
});
