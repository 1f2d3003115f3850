// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` is Flux's postBuild syntax here.
// False findings found on public Flux fleets (issue 13), each as a small repository of its own.
import { describe, expect, it } from 'vitest';
import { gitRepo } from '../helpers/git-repo.js';
import { runCli } from '../helpers/run-cli.js';

type D = { ruleId: string; severity: string; file: string; line: number; message: string; cluster?: string };
interface Out {
  diagnostics: D[];
  summary: { coverage: { clusters: { name: string; helmReleases: { total: number } }[] } };
}

async function validate(root: string): Promise<Out> {
  const run = await runCli(['validate', '-f', 'json', '--no-cache'], { cwd: root, env: process.env });
  expect(run.code, run.stderr).toBeLessThan(2);
  return JSON.parse(run.stdout) as Out;
}

const bootstrap = (cluster: string, extra = '') => ({
  [`clusters/${cluster}/flux-system/gotk-sync.yaml`]: `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://github.com/acme/fleet
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/${cluster}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
${extra}`,
});

const fluxInstall = (version: string) => `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata:
  name: flux-manifests
  namespace: flux-system
spec:
  interval: 1h
  url: oci://ghcr.io/fluxcd/flux-manifests
  ref:
    tag: ${version}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux
  namespace: flux-system
spec:
  interval: 1h
  path: ./
  prune: true
  sourceRef:
    kind: OCIRepository
    name: flux-manifests
`;

const release = (name: string, apiVersion = 'helm.toolkit.fluxcd.io/v2') => `apiVersion: ${apiVersion}
kind: HelmRelease
metadata:
  name: ${name}
  namespace: default
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      version: 6.5.0
      sourceRef:
        kind: HelmRepository
        name: podinfo
        namespace: flux-system
`;

describe('findings seen on real fleets', () => {
  it('files no cluster applies are judged by the Flux the clusters run, not the newest (carpenike, toboshii)', async () => {
    const out = await validate(
      gitRepo({
        ...bootstrap('prod'),
        'clusters/prod/flux.yaml': fluxInstall('v2.5.1'),
        'archive-old/app/kustomization.yaml': 'resources: [hr.yaml]\n',
        'archive-old/app/hr.yaml': release('old', 'helm.toolkit.fluxcd.io/v2beta2'),
      }),
    );
    const hr = out.diagnostics.filter(
      (d) => d.file === 'archive-old/app/hr.yaml' && d.ruleId.startsWith('schema/'),
    );
    // Flux 2.5 still serves v2beta2 (deprecated since 2.3, removed in 2.8).
    expect(hr.map((d) => d.ruleId)).toEqual(['schema/deprecated-api']);
    // Its own v1beta2 OCIRepository is served by 2.5: not validated (schemas are 2.9's), said as info.
    const oci = out.diagnostics.find(
      (d) => d.file === 'clusters/prod/flux.yaml' && d.ruleId === 'schema/missing',
    );
    expect(oci).toMatchObject({ severity: 'info' });
    expect(oci?.message).toContain('served by Flux 2.5.1');
  });

  it('a template kustomization nothing applies is not validated on its ${VAR} placeholders (carpenike)', async () => {
    const out = await validate(
      gitRepo({
        ...bootstrap('prod'),
        'templates/gatus/kustomization.yaml': 'resources: [cm.yaml]\n',
        'templates/gatus/cm.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "${APP}-gatus-ep"\n  namespace: default\ndata:\n  n: 1\n',
      }),
    );
    const found = out.diagnostics.filter(
      (d) => d.file === 'templates/gatus/cm.yaml' && d.ruleId === 'schema/invalid',
    );
    // The name is a placeholder; the integer is still wrong.
    expect(found.map((d) => d.line)).toEqual([7]);
  });

  it('a template checked as written is schema-checked around its ${VAR} placeholders (tvories tmpl/gotk-sync.yaml)', async () => {
    const out = await validate(
      gitRepo({
        ...bootstrap('prod'),
        'tmpl/gotk-sync.yaml':
          'apiVersion: source.toolkit.fluxcd.io/v1beta1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: ${BOOTSTRAP_REPOSITORY}\n',
      }),
    );
    const found = out.diagnostics.filter((d) => d.file === 'tmpl/gotk-sync.yaml');
    expect(found.map((d) => [d.ruleId, d.severity])).toEqual([['schema/removed-api', 'warning']]);
  });

  it('a finding on an object lands on its own document, not on a same-named object of another API group (onedr0p)', async () => {
    const out = await validate(
      gitRepo({
        ...bootstrap('prod'),
        'clusters/prod/sa.yaml':
          'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n  namespace: default\n---\napiVersion: example.com/v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n  namespace: default\n',
      }),
    );
    const missing = out.diagnostics.find(
      (d) => d.ruleId === 'schema/missing' && d.file === 'clusters/prod/sa.yaml',
    );
    expect(missing?.line).toBe(8);
  });

  it("Flux's own install manifests, external, excuse no missing source (carpenike nas-1)", async () => {
    const out = await validate(
      gitRepo({
        ...bootstrap('prod'),
        'clusters/prod/flux.yaml': fluxInstall('v2.5.1'),
        'clusters/prod/hr.yaml': release('zot').replace(
          'kind: HelmRepository\n        name: podinfo',
          'kind: HelmRepository\n        name: nowhere',
        ),
      }),
    );
    expect(out.diagnostics.find((d) => d.ruleId === 'refs/source-not-found')).toMatchObject({
      severity: 'error',
    });
  });

  it('a HelmRelease two Kustomizations apply is counted once (joryirving)', async () => {
    const out = await validate(
      gitRepo({
        ...bootstrap('prod'),
        'clusters/prod/app.yaml':
          'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./clusters/prod/app\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
        'clusters/prod/app/hr.yaml': release('podinfo'),
      }),
    );
    expect(out.summary.coverage.clusters).toMatchObject([{ name: 'prod', helmReleases: { total: 1 } }]);
    expect(out.diagnostics.filter((d) => d.ruleId === 'refs/duplicate-owner')).toHaveLength(2);
  });
});
