import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { resourceIdOf } from '../../src/load/resource.js';
import { type ClusterObject, type ClusterView, checkRefs } from '../../src/refs/index.js';

function cluster(yaml: string, options: Partial<ClusterView> = {}): ClusterView {
  const objects: ClusterObject[] = parseAllDocuments(yaml).map((doc) => {
    const value = doc.toJS() as Record<string, unknown>;
    const id = resourceIdOf(value)!;
    const owner = (value.metadata as { annotations?: Record<string, string> }).annotations?.owner;
    const [namespace, name] = (owner ?? '').split('/');
    return owner ? { id, value, appliedBy: { namespace: namespace!, name: name! } } : { id, value };
  });
  return { name: 'prod', objects, hasOutsideCreators: false, pathExists: () => true, ...options };
}

function findings(view: ClusterView) {
  return checkRefs(view).map((f) => [
    f.ruleId,
    f.severity,
    `${f.object.id.kind}/${f.object.id.name}`,
    f.pointer,
  ]);
}

const git = (name: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: ${name}, namespace: flux-system }
spec: { url: 'ssh://git@example.com/x', interval: 1m }`;

const ks = (name: string, spec: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: ${name}, namespace: flux-system }
spec: { interval: 1m, path: ./x, prune: true, sourceRef: { kind: GitRepository, name: flux-system }${spec} }`;

describe('Flux reference checks', () => {
  it('a healthy cluster has no finding', () => {
    const view = cluster(
      [
        git('flux-system'),
        ks('infra', ''),
        ks('apps', ', dependsOn: [{ name: infra }]'),
        `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: { name: charts, namespace: web }
spec: { url: https://charts.example.com, interval: 1h }`,
        `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: web, namespace: web }
spec:
  interval: 1h
  chart: { spec: { chart: web, version: 1.2.3, sourceRef: { kind: HelmRepository, name: charts } } }
  valuesFrom: [{ kind: ConfigMap, name: web-values }, { kind: Secret, name: maybe, optional: true }]`,
        // helm-controller reads the valuesKey (default values.yaml) of the ConfigMap's data.
        "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web-values, namespace: web }\ndata: { values.yaml: 'replicas: 2' }",
        `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: { name: ado, namespace: flux-system }
spec: { type: azuredevops }`,
        `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: { name: ado, namespace: flux-system }
spec: { providerRef: { name: ado }, eventSources: [{ kind: Kustomization, name: '*' }] }`,
      ].join('\n---\n'),
    );
    expect(findings(view)).toEqual([]);
  });

  it('a valuesFrom ConfigMap or Secret without the valuesKey fails the release (key not found)', () => {
    const view = cluster(
      [
        `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: web, namespace: web }
spec:
  interval: 1h
  chart: { spec: { chart: web, sourceRef: { kind: HelmRepository, name: charts } } }
  valuesFrom:
    - { kind: ConfigMap, name: web-values }
    - { kind: Secret, name: web-secret, valuesKey: secret.yaml }
    - { kind: Secret, name: web-secret, valuesKey: other.yaml, optional: true }
    - { kind: Secret, name: web-secret, valuesKey: plain.yaml }`,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web-values, namespace: web }\ndata: { other.yaml: 'a: 1' }",
        "apiVersion: v1\nkind: Secret\nmetadata: { name: web-secret, namespace: web }\ndata: { secret.yaml: YTogMQ== }\nstringData: { plain.yaml: 'b: 2' }",
      ].join('\n---\n'),
    );
    expect(findings(view).filter((f) => f[0] === 'refs/values-from-not-found')).toEqual([
      ['refs/values-from-not-found', 'warning', 'HelmRelease/web', '/spec/valuesFrom/0/name'],
    ]);
  });

  it('reports each broken reference at the field that names it', () => {
    const view = cluster(
      [
        git('flux-system'),
        ks('apps', ', dependsOn: [{ name: infra }]'),
        `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: tenant, namespace: flux-system }
spec:
  interval: 1m
  path: ./tenant
  prune: true
  sourceRef: { kind: GitRepository, name: tenant-repo }
  postBuild: { substituteFrom: [{ kind: ConfigMap, name: vars }, { kind: Secret, name: creds }] }`,
        `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: web, namespace: web }
spec:
  chartRef: { kind: OCIRepository, name: web-chart, namespace: flux-system }`,
        `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: { name: ado, namespace: flux-system }
spec: { providerRef: { name: teams } }`,
      ].join('\n---\n'),
    );
    expect(findings(view)).toEqual([
      ['refs/source-not-found', 'error', 'Kustomization/tenant', '/spec/sourceRef/name'],
      ['refs/source-not-found', 'error', 'HelmRelease/web', '/spec/chartRef/name'],
      ['refs/depends-on-not-found', 'error', 'Kustomization/apps', '/spec/dependsOn/0/name'],
      ['refs/provider-not-found', 'error', 'Alert/ado', '/spec/providerRef/name'],
      [
        'refs/substitute-from-not-found',
        'warning',
        'Kustomization/tenant',
        '/spec/postBuild/substituteFrom/0/name',
      ],
      [
        'refs/substitute-from-not-found',
        'info',
        'Kustomization/tenant',
        '/spec/postBuild/substituteFrom/1/name',
      ],
    ]);
  });

  it('references that something outside Git may satisfy are info', () => {
    const view = cluster(ks('apps', ''), { hasOutsideCreators: true });
    expect(findings(view)).toEqual([
      ['refs/source-not-found', 'info', 'Kustomization/apps', '/spec/sourceRef/name'],
    ]);
  });

  it('finds a dependsOn cycle once, whatever the entry point', () => {
    const view = cluster(
      [
        git('flux-system'),
        ks('a', ', dependsOn: [{ name: b }]'),
        ks('b', ', dependsOn: [{ name: c }]'),
        ks('c', ', dependsOn: [{ name: a }]'),
        ks('d', ', dependsOn: [{ name: a }]'),
      ].join('\n---\n'),
    );
    const result = checkRefs(view);
    expect(result.map((f) => [f.ruleId, f.object.id.name, f.pointer])).toEqual([
      ['refs/depends-on-cycle', 'a', '/spec/dependsOn/0/name'],
    ]);
    expect(result[0]!.message).toBe(
      'dependsOn cycle: Kustomization flux-system/a → Kustomization flux-system/b → Kustomization flux-system/c → Kustomization flux-system/a',
    );
  });

  it('a path missing from its source is reported at spec.path', () => {
    const view = cluster([git('flux-system'), ks('apps', '')].join('\n---\n'), { pathExists: () => false });
    expect(findings(view)).toEqual([['refs/path-not-found', 'error', 'Kustomization/apps', '/spec/path']]);
  });

  it('an unknown source path (another repository) is not a finding', () => {
    const view = cluster([git('flux-system'), ks('apps', '')].join('\n---\n'), {
      pathExists: () => undefined,
    });
    expect(findings(view)).toEqual([]);
  });

  it('two Kustomizations applying one object are both reported', () => {
    const cm = (owner: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: shared, namespace: web, annotations: { owner: ${owner} } }`;
    const view = cluster(
      [cm('flux-system/apps'), cm('flux-system/web'), cm('flux-system/web')].join('\n---\n'),
    );
    expect(findings(view).map((f) => f[0])).toEqual(Array(3).fill('refs/duplicate-owner'));
  });

  it('the source that stands for the repository is one info, however many objects use it', () => {
    const apps = [ks('apps', ''), ks('infra', '')].join('\n---\n');
    expect(findings(cluster(apps, { repoSources: ['GitRepository/flux-system/flux-system'] }))).toEqual([
      ['refs/source-not-found', 'info', 'Kustomization/apps', '/spec/sourceRef/name'],
    ]);
    expect(findings(cluster(apps)).map((f) => f[1])).toEqual(['error', 'error']);
  });
});
