// Flux's generator semantics with the real kustomize (fluxcd/pkg kustomize v1.35.4,
// kustomize_generator.go): the Flux Kustomization's fields are merged into the target's own
// kustomization, not layered around it. The first three cases are the ones issue 3 names.
import { describe, expect, it } from 'vitest';
import { tempRepo } from '../helpers/temp-repo.js';
import { buildOne, byName } from './helpers.js';

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: a
spec:
  selector: { matchLabels: { app: a } }
  template:
    metadata: { labels: { app: a } }
    spec:
      containers:
        - name: app
          image: ${image}
`;

const containerImage = (o: Record<string, unknown> | undefined) =>
  (o!.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image;

describe('Flux fields merged into the target kustomization', () => {
  it('an inner images newName plus a Flux newTag gives the new name with the new tag', async () => {
    const root = tempRepo({
      'app/kustomization.yaml':
        'resources: [deploy.yaml]\nimages:\n  - name: web\n    newName: ghcr.io/acme/web\n',
      'app/deploy.yaml': deployment('web:1.0.0'),
    });
    const build = await buildOne(root, 'app', { spec: { images: [{ name: 'web', newTag: '2.0.0' }] } });
    expect(build.status).toBe('ok');
    expect(containerImage(byName(build).get('Deployment/a'))).toBe('ghcr.io/acme/web:2.0.0');
  });

  it('a Flux newTag replaces an inner digest (tag and digest change together)', async () => {
    const root = tempRepo({
      'app/kustomization.yaml':
        'resources: [deploy.yaml]\nimages:\n  - name: web\n    digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n',
      'app/deploy.yaml': deployment('web:1.0.0'),
    });
    const build = await buildOne(root, 'app', { spec: { images: [{ name: 'web', newTag: '2.0.0' }] } });
    expect(containerImage(byName(build).get('Deployment/a'))).toBe('web:2.0.0');
  });

  it('an inner namePrefix team- with a Flux namePrefix prod- gives prod-a, not prod-team-a', async () => {
    const root = tempRepo({
      'app/kustomization.yaml': 'namePrefix: team-\nresources: [cm.yaml]\n',
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
    });
    const build = await buildOne(root, 'app', { spec: { namePrefix: 'prod-', nameSuffix: '-v2' } });
    expect([...byName(build).keys()]).toEqual(['ConfigMap/prod-a-v2']);
  });

  it("a component's objects get the target namespace", async () => {
    const root = tempRepo({
      'apps/web/kustomization.yaml': 'resources: [cm.yaml]\n',
      'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n',
      'components/extra/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [extra.yaml]\n',
      'components/extra/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n',
    });
    const build = await buildOne(root, 'apps/web', {
      spec: { targetNamespace: 'team', components: ['../../components/extra'] },
    });
    const namespaces = build.resources.map((r) => `${r.id.name}@${r.id.namespace}`).sort();
    expect(namespaces).toEqual(['extra@team', 'web@team']);
    // Origins name the component's file, repo-relative.
    expect(build.resources.find((r) => r.id.name === 'extra')?.origin).toEqual({
      kind: 'file',
      file: 'components/extra/extra.yaml',
      docIndex: 0,
    });
  });

  it('patches are appended after the inner ones, so the Flux patch wins', async () => {
    const root = tempRepo({
      'app/kustomization.yaml':
        'resources: [cm.yaml]\npatches:\n  - patch: |\n      - op: replace\n        path: /data/level\n        value: inner\n    target: { kind: ConfigMap }\n',
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  level: base\n',
    });
    const build = await buildOne(root, 'app', {
      spec: {
        patches: [
          { patch: '- op: replace\n  path: /data/level\n  value: flux', target: { kind: 'ConfigMap' } },
        ],
      },
    });
    expect((byName(build).get('ConfigMap/a')!.data as Record<string, string>).level).toBe('flux');
  });

  it('a missing component fails the build unless ignoreMissingComponents', async () => {
    const root = tempRepo({
      'app/kustomization.yaml': 'resources: [cm.yaml]\n',
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
    });
    const failing = await buildOne(root, 'app', { spec: { components: ['../gone'] } });
    expect(failing.status).toBe('failed');
    expect(failing.findings.map((f) => f.ruleId)).toEqual(['kustomize/build-failed']);
    const ignored = await buildOne(root, 'app', {
      spec: { components: ['../gone'], ignoreMissingComponents: true },
    });
    expect(ignored.status).toBe('ok');
  });

  it('a remote component is refused as Flux refuses it', async () => {
    const root = tempRepo({ 'app/kustomization.yaml': 'resources: []\n' });
    const build = await buildOne(root, 'app', { spec: { components: ['https://github.com/acme/c//x'] } });
    expect(build.status).toBe('failed');
    expect(build.findings[0]?.message).toContain('must be local and relative');
  });

  it('unknown fields of the target kustomization are dropped, as Flux rewrites it', async () => {
    const root = tempRepo({
      'app/kustomization.yaml': 'resources: [cm.yaml]\nnotAField: true\n',
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
    });
    expect((await buildOne(root, 'app', { spec: {} })).status).toBe('ok');
    // Built as a plain overlay, kustomize itself refuses the field.
    const plain = await buildOne(root, 'app');
    expect(plain.status).toBe('failed');
    expect(plain.findings[0]).toMatchObject({
      ruleId: 'kustomize/build-failed',
      file: 'app/kustomization.yaml',
      pointer: '/notAField',
    });
  });
});

describe("Flux's generated kustomization (spec.path without one)", () => {
  it('takes every YAML file at any depth; a directory with a kustomization is one resource, not walked', async () => {
    const root = tempRepo({
      'deploy/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: deploy\n',
      'deploy/nested/deeper/cm.yml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n',
      'deploy/notes.txt': 'not yaml',
      'deploy/kustomized/kustomization.yaml': 'namePrefix: k-\nresources: [cm.yaml]\n',
      'deploy/kustomized/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inner\n',
      'deploy/kustomized/unlisted.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: unlisted\n',
    });
    const build = await buildOne(root, 'deploy', { spec: {} });
    expect(build.status).toBe('ok');
    expect([...byName(build).keys()].sort()).toEqual([
      'ConfigMap/deep',
      'ConfigMap/k-inner',
      'Namespace/deploy',
    ]);
  });

  it('fails on YAML that is not a Kubernetes object, as Flux does', async () => {
    const root = tempRepo({
      'deploy/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: deploy\n',
      'deploy/values.yaml': 'replicaCount: 2\n',
    });
    const build = await buildOne(root, 'deploy', { spec: {} });
    expect(build.status).toBe('failed');
    expect(build.findings[0]?.ruleId).toBe('kustomize/build-failed');
    expect(build.findings[0]?.message).toContain('values.yaml');
  });

  it('an empty directory renders nothing (Flux writes a placeholder namespace)', async () => {
    const root = tempRepo({ 'deploy/README.md': '# nothing here' });
    const build = await buildOne(root, 'deploy', { spec: { targetNamespace: 'x' } });
    expect(build.status).toBe('ok');
    expect(build.resources).toEqual([]);
  });
});
