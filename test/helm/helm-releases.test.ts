// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Helm templates use `{{ ... }}`.
// biome-ignore-all lint/suspicious/noExplicitAny: the rendered objects are read field by field, of any kind.

import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { at, bootstrap, cacheDir, chart, namespace, type Out, release, validate } from './fixtures.js';

/** `fluxgate build --cluster prod` as objects. */
async function build(
  root: string,
  ...args: string[]
): Promise<{ code: number; objects: Record<string, any>[]; stderr: string }> {
  const run = await runCli(['build', '--cluster', 'prod', ...args], {
    cwd: root,
    env: { ...process.env, FLUXGATE_CACHE_DIR: cacheDir() },
  });
  return {
    code: run.code,
    stderr: run.stderr,
    objects: parseAllDocuments(run.stdout).map((d) => d.toJS() as Record<string, any>),
  };
}

const find = (objects: Record<string, any>[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata?.name === name);

describe('HelmReleases rendered as helm-controller renders them', () => {
  it('renders a chart of the repository: the objects are checked, a value is reported at its values line', async () => {
    const root = tempRepo({
      ...bootstrap,
      ...chart('charts/web'),
      'clusters/prod/apps.yaml': `${namespace}---\n${release('  values:\n    image:\n      tag: latest\n')}`,
    });
    const out = await validate(root);
    // `tag: latest` is line 22 of apps.yaml (the Namespace takes 5 lines with its separator).
    expect(at(out, 'policy/image-tag-pinned')).toEqual(['clusters/prod/apps.yaml:22']);
    const finding = out.diagnostics.find((d) => d.ruleId === 'policy/image-tag-pinned')!;
    expect(finding.message).toContain(
      '[rendered by HelmRelease apps/web from web/templates/deployment.yaml]',
    );
    expect(finding.resource).toMatchObject({ kind: 'Deployment', name: 'web', namespace: 'apps' });
    expect(out.summary.coverage.clusters[0]!.helmReleases).toEqual({
      total: 1,
      rendered: 1,
      notAvailable: 0,
      failed: 0,
      notServed: 0,
    });

    const { objects, code } = await build(root);
    expect(code).toBe(0);
    const deployment = find(objects, 'Deployment', 'web')!;
    // helm-controller's origin labels, and what Helm sets on the objects it creates.
    expect(deployment.metadata).toMatchObject({
      namespace: 'apps',
      labels: {
        'app.kubernetes.io/managed-by': 'Helm',
        'helm.toolkit.fluxcd.io/name': 'web',
        'helm.toolkit.fluxcd.io/namespace': 'apps',
      },
      annotations: { 'meta.helm.sh/release-name': 'web', 'meta.helm.sh/release-namespace': 'apps' },
    });
    expect(deployment.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/web:latest');
    expect(find(objects, 'Service', 'web')).toBeDefined();

    const without = await build(root, '--no-helm');
    expect(find(without.objects, 'Deployment', 'web')).toBeUndefined();
    expect(find(without.objects, 'HelmRelease', 'web')).toBeDefined();
  });

  it('finds a value in the chart defaults at the line of the chart values file, and a missing field at the chart line', async () => {
    const files = chart('charts/web');
    files['charts/web/values.yaml'] = files['charts/web/values.yaml']!.replace('"1.2.3"', 'latest').replace(
      /resources:[\s\S]*$/,
      'resources: {}\n',
    );
    const root = tempRepo({ ...bootstrap, ...files, 'clusters/prod/apps.yaml': release() });
    const out = await validate(root);
    expect(at(out, 'policy/image-tag-pinned')).toEqual(['charts/web/values.yaml:4']);
    // Requests and limits are set nowhere in the values: the HelmRelease's chart line.
    expect(at(out, 'policy/container-resources')).toEqual(['clusters/prod/apps.yaml:10']);
  });

  it('merges valuesFrom in order under spec.values (targetPath, optional), and places values of a ConfigMap inside its text', async () => {
    const root = tempRepo({
      ...bootstrap,
      ...chart('charts/web'),
      'clusters/prod/kustomization.yaml': `resources: [flux-system/gotk-sync.yaml, apps.yaml]
configMapGenerator:
  - name: web-file-values
    namespace: apps
    files: [values.yaml=web-values.yaml]
generatorOptions:
  disableNameSuffixHash: true
`,
      'clusters/prod/web-values.yaml': 'replicas: 2\nimage:\n  repository: ghcr.io/acme/from-file\n',
      'clusters/prod/apps.yaml': `${namespace}---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-values
  namespace: apps
data:
  values.yaml: |
    image:
      repository: ghcr.io/acme/inline
      tag: latest
  tag: "2.0.0"
---
${release(`  valuesFrom:
    - kind: ConfigMap
      name: web-file-values
    - kind: ConfigMap
      name: web-values
    - kind: ConfigMap
      name: web-values
      valuesKey: tag
      targetPath: image.tag
    - kind: Secret
      name: absent
      optional: true
  values:
    replicas: 3
`)}`,
    });
    const out = await validate(root);
    // targetPath: the tag comes from the `tag` key; the inline values' `latest` was overridden.
    expect(at(out, 'policy/image-tag-pinned')).toEqual([]);
    const { objects } = await build(root);
    const deployment = find(objects, 'Deployment', 'web')!;
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/inline:2.0.0');

    // Without the targetPath entry, `tag: latest` in the ConfigMap's values.yaml text is the line.
    const withoutTarget = tempRepo({
      ...bootstrap,
      ...chart('charts/web'),
      'clusters/prod/apps.yaml': `${namespace}---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-values
  namespace: apps
data:
  values.yaml: |
    image:
      repository: ghcr.io/acme/inline
      tag: latest
---
${release('  valuesFrom:\n    - kind: ConfigMap\n      name: web-values\n')}`,
    });
    expect(at(await validate(withoutTarget), 'policy/image-tag-pinned')).toEqual([
      'clusters/prod/apps.yaml:15',
    ]);
  });

  it('reports a values key the generated ConfigMap reads from a values file at that file', async () => {
    const root = tempRepo({
      ...bootstrap,
      ...chart('charts/web'),
      'clusters/prod/kustomization.yaml': `resources: [flux-system/gotk-sync.yaml, apps.yaml]
configMapGenerator:
  - name: web-values
    namespace: apps
    files: [values.yaml=web-values.yaml]
generatorOptions:
  disableNameSuffixHash: true
`,
      'clusters/prod/web-values.yaml': 'image:\n  tag: latest\n',
      'clusters/prod/apps.yaml': `${namespace}---\n${release('  valuesFrom:\n    - kind: ConfigMap\n      name: web-values\n')}`,
    });
    expect(at(await validate(root), 'policy/image-tag-pinned')).toEqual(['clusters/prod/web-values.yaml:2']);
  });

  it('valuesFrom that resolves to nothing: a missing object or key is refs/values-from-not-found, and the release is not rendered', async () => {
    const root = tempRepo({
      ...bootstrap,
      ...chart('charts/web'),
      'clusters/prod/apps.yaml': `${namespace}---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-values
  namespace: apps
data:
  other.yaml: "replicas: 2"
---
${release('  valuesFrom:\n    - kind: ConfigMap\n      name: web-values\n      valuesKey: values.yaml\n')}`,
    });
    const out = await validate(root);
    expect(at(out, 'refs/values-from-not-found')).toEqual(['clusters/prod/apps.yaml:31']);
    expect(out.diagnostics.find((d) => d.ruleId === 'refs/values-from-not-found')!.message).toContain(
      "has no such key (it has 'other.yaml')",
    );
    expect(out.summary.coverage.clusters[0]!.helmReleases).toMatchObject({ total: 1, failed: 1 });
  });

  it('release name and namespace: targetNamespace, releaseName, and a long name shortened as helm-controller does', async () => {
    const long = 'a-very-long-helmrelease-name-that-is-over-fifty-three-chars';
    const root = tempRepo({
      ...bootstrap,
      ...chart('charts/web'),
      'clusters/prod/apps.yaml': [
        namespace,
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n',
        release('  targetNamespace: web\n', 'one'),
        release('  releaseName: custom\n', 'two'),
        release('', long),
      ].join('---\n'),
    });
    const { objects } = await build(root);
    expect(find(objects, 'Deployment', 'web-one')?.metadata.namespace).toBe('web');
    expect(find(objects, 'Deployment', 'custom')?.metadata.namespace).toBe('apps');
    // internal/release/name.go: 40 characters, a dash, 12 hex digits of the name's sha256.
    const shortened = objects.find(
      (o) => o.kind === 'Deployment' && o.metadata.name.startsWith(long.slice(0, 40)),
    );
    expect(shortened?.metadata.name).toMatch(new RegExp(`^${long.slice(0, 40)}-[0-9a-f]{12}$`));
  });

  it("checks the values against the chart's values.schema.json, each violation at its values line", async () => {
    const root = tempRepo({
      ...bootstrap,
      ...chart('charts/web', { schema: true }),
      'clusters/prod/apps.yaml': `${namespace}---\n${release('  values:\n    replicas: two\n    imagee:\n      tag: "1.0"\n')}`,
    });
    const out = await validate(root);
    expect(at(out, 'helm/values-schema').sort()).toEqual([
      'clusters/prod/apps.yaml:21',
      'clusters/prod/apps.yaml:22',
    ]);
    expect(
      out.diagnostics.find((d) => d.line === 22 && d.ruleId === 'helm/values-schema')!.message,
    ).toContain("additional property 'imagee' not allowed");
    expect(out.summary.coverage.clusters[0]!.helmReleases).toMatchObject({ failed: 1, rendered: 0 });
    // install.disableSchemaValidation: Helm does not validate.
    const off = tempRepo({
      ...bootstrap,
      ...chart('charts/web', { schema: true }),
      'clusters/prod/apps.yaml': `${namespace}---\n${release('  install:\n    disableSchemaValidation: true\n  values:\n    imagee: {}\n')}`,
    });
    expect(at(await validate(off), 'helm/values-schema')).toEqual([]);
  });

  it('a template error is helm/render-failed with Helm’s message, at the chart line', async () => {
    const files = chart('charts/web');
    files['charts/web/templates/broken.yaml'] =
      '{{ required "image.digest is required" .Values.image.digest }}\n';
    const root = tempRepo({ ...bootstrap, ...files, 'clusters/prod/apps.yaml': release() });
    const out = await validate(root);
    expect(at(out, 'helm/render-failed')).toEqual(['clusters/prod/apps.yaml:10']);
    expect(out.diagnostics.find((d) => d.ruleId === 'helm/render-failed')!.message).toContain(
      'image.digest is required',
    );
  });

  it('post-renderers: patches and images applied; a patch that selects nothing is reported at its target', async () => {
    const root = tempRepo({
      ...bootstrap,
      ...chart('charts/web'),
      'clusters/prod/apps.yaml': `${namespace}---\n${release(`  postRenderers:
    - kustomize:
        images:
          - name: ghcr.io/acme/web
            newTag: 9.9.9
        patches:
          - target:
              kind: Deployment
            patch: |
              - op: replace
                path: /spec/replicas
                value: 4
          - target:
              kind: StatefulSet
              name: web
            patch: |
              - op: replace
                path: /spec/replicas
                value: 4
`)}`,
    });
    const out = await validate(root);
    expect(at(out, 'helm/post-renderer-no-match')).toEqual(['clusters/prod/apps.yaml:32']);
    const { objects } = await build(root);
    const deployment = find(objects, 'Deployment', 'web')!;
    expect(deployment.spec.replicas).toBe(4);
    expect(deployment.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/web:9.9.9');
  });

  it("installs the chart's CRDs by the install policy and checks custom resources against them", async () => {
    const files = chart('charts/web');
    files['charts/web/crds/widget.yaml'] = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.acme.io
spec:
  group: acme.io
  names: { kind: Widget, plural: widgets, singular: widget, listKind: WidgetList }
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
                size: { type: integer }
`;
    files['charts/web/templates/widget.yaml'] =
      '{{- if .Capabilities.APIVersions.Has "acme.io/v1/Widget" }}\napiVersion: acme.io/v1\nkind: Widget\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  size: {{ .Values.widgetSize }}\n{{- end }}\n';
    files['charts/web/values.yaml'] += 'widgetSize: 3\n';
    const root = tempRepo({
      ...bootstrap,
      ...files,
      // The CRD as another Kustomization of the cluster installs it: the chart sees its API.
      'clusters/prod/crds.yaml': files['charts/web/crds/widget.yaml']!,
      'clusters/prod/apps.yaml': `${namespace}---\n${release('  values:\n    widgetSize: big\n')}`,
    });
    const out = await validate(root);
    expect(at(out, 'schema/invalid')).toEqual(['clusters/prod/apps.yaml:21']);
    const { objects } = await build(root);
    const crd = objects.filter((o) => o.kind === 'CustomResourceDefinition');
    // The repository's copy and the chart's, which helm-controller labels as its own.
    expect(crd).toHaveLength(2);
    expect(crd.some((c) => c.metadata.labels?.['helm.toolkit.fluxcd.io/name'] === 'web')).toBe(true);

    // Without the repository's copy, the chart's own CRD serves the API once helm-controller has
    // installed it: the next reconciliation renders the Widget.
    const own = tempRepo({
      ...bootstrap,
      ...files,
      'clusters/prod/apps.yaml': `${namespace}---\n${release('  values:\n    widgetSize: big\n')}`,
    });
    expect(at(await validate(own), 'schema/invalid')).toEqual(['clusters/prod/apps.yaml:21']);

    const skip = tempRepo({
      ...bootstrap,
      ...files,
      'clusters/prod/apps.yaml': `${namespace}---\n${release('  install:\n    crds: Skip\n')}`,
    });
    const skipped = await build(skip);
    expect(skipped.objects.filter((o) => o.kind === 'CustomResourceDefinition')).toEqual([]);
    // Without the CRD, the cluster serves no acme.io/v1: the chart renders no Widget.
    expect(find(skipped.objects, 'Widget', 'web')).toBeUndefined();
  });

  it("renders for the cluster's Kubernetes version (clusters.<name>.kubernetesVersion)", async () => {
    const files = chart('charts/web');
    files['charts/web/Chart.yaml'] += 'kubeVersion: ">=1.33.0-0"\n';
    const old = tempRepo({
      ...bootstrap,
      ...files,
      '.fluxgate.yaml': 'clusters:\n  prod:\n    kubernetesVersion: "1.31"\n',
      'clusters/prod/apps.yaml': release(),
    });
    const out = await validate(old);
    expect(out.diagnostics.find((d) => d.ruleId === 'helm/render-failed')?.message).toContain(
      'chart requires kubeVersion: >=1.33.0-0 which is incompatible with Kubernetes v1.31.0',
    );
    const current = tempRepo({ ...bootstrap, ...files, 'clusters/prod/apps.yaml': release() });
    expect(at(await validate(current), 'helm/render-failed')).toEqual([]);
  });

  it('a chart of a chart repository that is not in the cache: one info naming how to get it, and nothing fetched', async () => {
    const root = tempRepo({
      ...bootstrap,
      'clusters/prod/apps.yaml': `${namespace}---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: apps
spec:
  interval: 1h
  url: https://charts.example.invalid/stable
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: web
      version: 1.x
      sourceRef:
        kind: HelmRepository
        name: charts
`,
    });
    const out = await validate(root);
    const info = out.diagnostics.filter((d) => d.ruleId === 'render/chart-not-available');
    expect(info.map((d) => `${d.file}:${d.line}:${d.severity}`)).toEqual(['clusters/prod/apps.yaml:24:info']);
    expect(info[0]!.message).toContain('network.charts: true');
    expect(info[0]!.message).toContain('fluxgate charts pull');
    expect(out.summary.coverage.clusters[0]!.helmReleases).toMatchObject({ total: 1, notAvailable: 1 });
  });

  it('without helm-server (no Go, no platform package): one info per release saying how to get it, and the rest is checked', async () => {
    const root = tempRepo({
      ...bootstrap,
      ...chart('charts/web'),
      'clusters/prod/apps.yaml': `${namespace}---\n${release('  values:\n    image:\n      tag: latest\n')}`,
    });
    const run = await runCli(['validate', '-f', 'json', '--fail-level', 'info'], {
      cwd: root,
      env: {
        ...process.env,
        FLUXGATE_CACHE_DIR: cacheDir(),
        FLUXGATE_DAEMON: '0',
        FLUXGATE_HELM_SERVER: `${root}/no-such-helm-server`,
      },
    });
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as Awaited<ReturnType<typeof validate>>;
    const info = out.diagnostics.filter((d) => d.ruleId === 'render/chart-not-available');
    expect(info.map((d) => d.severity)).toEqual(['info']);
    expect(info[0]!.message).toContain('Helm is not installed: FLUXGATE_HELM_SERVER names');
    expect(at(out, 'policy/image-tag-pinned')).toEqual([]);
    expect(out.summary.coverage.clusters[0]!.helmReleases).toMatchObject({ total: 1, notAvailable: 1 });
  });

  it('a helm-server that crashes: an error at the release, no stack trace, and the next run renders (nothing cached)', async () => {
    const root = tempRepo({
      ...bootstrap,
      ...chart('charts/web'),
      'clusters/prod/apps.yaml': `${namespace}---\n${release('  values:\n    image:\n      tag: latest\n')}`,
    });
    // Reads the request, then dies as a Go panic does: a message on stderr and exit 2.
    const crashing = path.join(mkdtempSync(path.join(os.tmpdir(), 'helm-crash-')), 'helm-server');
    writeFileSync(crashing, '#!/bin/sh\nread line\necho "panic: runtime error: boom" >&2\nexit 2\n', {
      mode: 0o755,
    });
    const cache = cacheDir();
    const run = (env: Record<string, string>) =>
      runCli(['validate', '-f', 'json'], {
        cwd: root,
        env: { ...process.env, FLUXGATE_CACHE_DIR: cache, FLUXGATE_DAEMON: '0', ...env },
      });
    const crashed = await run({ FLUXGATE_HELM_SERVER: crashing });
    expect(crashed.code).toBe(1);
    expect(crashed.stderr).not.toMatch(/\n\s+at /);
    const out = JSON.parse(crashed.stdout) as Out;
    const failed = out.diagnostics.filter((d) => d.ruleId === 'helm/render-failed');
    expect(failed.map((d) => `${d.file}:${d.severity}`)).toEqual(['clusters/prod/apps.yaml:error']);
    expect(failed[0]!.message).toBe(
      'HelmRelease apps/web: helm-server: stopped (exit code 2): panic: runtime error: boom',
    );
    expect(out.summary.coverage.clusters[0]!.helmReleases).toMatchObject({ total: 1, failed: 1 });

    const { FLUXGATE_HELM_SERVER: _unset, ...withoutOverride } = process.env;
    const next = await runCli(['validate', '-f', 'json'], {
      cwd: root,
      env: { ...withoutOverride, FLUXGATE_CACHE_DIR: cache, FLUXGATE_DAEMON: '0' },
    });
    const again = JSON.parse(next.stdout) as Out;
    expect(at(again, 'helm/render-failed')).toEqual([]);
    expect(at(again, 'policy/image-tag-pinned').length).toBeGreaterThan(0);
    expect(again.summary.coverage.clusters[0]!.helmReleases).toMatchObject({ total: 1, rendered: 1 });
  });

  it('keeps Secret values a chart renders out of fluxgate build', async () => {
    const files = chart('charts/web');
    files['charts/web/templates/secret.yaml'] =
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}\nstringData:\n  password: {{ .Values.password }}\n';
    const root = tempRepo({
      ...bootstrap,
      ...files,
      'clusters/prod/apps.yaml': release('  values:\n    password: not-a-real-password-CANARY\n'),
    });
    const run = await runCli(['build', '--cluster', 'prod'], {
      cwd: root,
      env: { ...process.env, FLUXGATE_CACHE_DIR: cacheDir() },
    });
    expect(run.stdout).toContain('kind: Secret');
    const secret = parseAllDocuments(run.stdout)
      .map((d) => d.toJS() as Record<string, any>)
      .find((o) => o.kind === 'Secret' && o.metadata.name === 'web');
    expect(secret?.stringData.password).toBe('<redacted>');
    // (The HelmRelease itself holds the value: a Secret's values belong in a Secret, not spec.values.)
  });

  it('renders a v2beta2 HelmRelease for a cluster whose Flux still serves it, not for one that removed it', async () => {
    const files = {
      ...bootstrap,
      ...chart('charts/web'),
      'clusters/prod/apps.yaml': release().replace(
        'helm.toolkit.fluxcd.io/v2',
        'helm.toolkit.fluxcd.io/v2beta2',
      ),
    };
    const older = tempRepo({ ...files, '.fluxgate.yaml': 'clusters:\n  prod:\n    fluxVersion: 2.6.3\n' });
    expect(find((await build(older)).objects, 'Deployment', 'web')).toBeDefined();
    const current = await validate(tempRepo(files));
    expect(current.summary.coverage.clusters[0]!.helmReleases).toEqual({
      total: 1,
      rendered: 0,
      notAvailable: 0,
      failed: 0,
      notServed: 1,
    });
    expect(at(current, 'schema/removed-api')).toEqual(['clusters/prod/apps.yaml:1']);
  });

  it('a changed chart file (validate FILE, the pre-commit hook) checks the releases of that chart', async () => {
    const files = chart('charts/web');
    files['charts/web/values.yaml'] = files['charts/web/values.yaml']!.replace('"1.2.3"', 'latest');
    const root = tempRepo({ ...bootstrap, ...files, 'clusters/prod/apps.yaml': release() });
    for (const changed of ['charts/web/templates/deployment.yaml', 'charts/web/values.yaml']) {
      const out = await validate(root, { args: [changed] });
      expect(at(out, 'policy/image-tag-pinned'), changed).toEqual(['charts/web/values.yaml:4']);
    }
  });

  it('a warm run renders no chart again', async () => {
    const root = tempRepo({ ...bootstrap, ...chart('charts/web'), 'clusters/prod/apps.yaml': release() });
    const cache = cacheDir();
    const env = { ...process.env, FLUXGATE_CACHE_DIR: cache, FLUXGATE_DAEMON: '0' };
    const first = await runCli(['validate', '--debug'], { cwd: root, env });
    expect(first.stderr).toContain('helm: 1 releases rendered, 0 from the cache');
    const second = await runCli(['validate', '--debug'], { cwd: root, env });
    expect(second.stderr).toContain('helm: 0 releases rendered, 1 from the cache');
    expect(second.code).toBe(first.code);
  });
});
