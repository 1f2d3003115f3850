// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Helm templates use `{{ ... }}`.
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chartRepository, ociRegistry, packageChart } from '../helpers/helm.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { at, bootstrap, cacheDir, chart, namespace, validate } from './fixtures.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-charts-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Packaged charts `web` of these versions (the tag in values says which one rendered). */
function publish(out: string, versions: string[], name = 'web'): void {
  for (const version of versions) {
    const src = tempDir();
    for (const [file, text] of Object.entries(chart('c', { name, version }))) {
      mkdirSync(path.dirname(path.join(src, file)), { recursive: true });
      // Another chart's objects are named after it too (a dependency's must not collide with its parent's).
      const named =
        name === 'web'
          ? text
          : text.replaceAll('name: {{ .Release.Name }}', 'name: {{ .Release.Name }}-{{ .Chart.Name }}');
      writeFileSync(path.join(src, file), named.replace('"1.2.3"', `"${version}"`));
    }
    packageChart(path.join(src, 'c'), out);
  }
}

const helmRepository = (url: string, extra = '') => `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: apps
spec:
  interval: 1h
  url: ${url}
${extra}`;

const release = (version: string, values = '') => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: web
      version: "${version}"
      sourceRef:
        kind: HelmRepository
        name: charts
${values}`;

async function build(root: string, cache: string): Promise<string> {
  const run = await runCli(['build', '--cluster', 'prod'], {
    cwd: root,
    env: { ...process.env, FLUXGATE_CACHE_DIR: cache },
  });
  return run.stdout;
}

describe('charts of chart repositories (HTTP index, OCI registry), through the chart cache', () => {
  it('HTTP: offline not available; network.charts downloads the newest matching version into the cache; the next run needs no network', async () => {
    const served = tempDir();
    publish(served, ['1.0.0', '1.1.0', '2.0.0']);
    const repo = await chartRepository(served);
    cleanup.push(() => repo.close());
    const files = {
      ...bootstrap,
      'clusters/prod/apps.yaml': `${namespace}---\n${helmRepository(repo.url)}---\n${release('1.x', '  values:\n    image:\n      tag: latest\n')}`,
    };
    const cache = cacheDir();
    const offline = await validate(tempRepo(files), { cache });
    expect(at(offline, 'render/chart-not-available')).toEqual(['clusters/prod/apps.yaml:24']);
    expect(repo.requests).toEqual([]);

    const root = tempRepo({ ...files, '.fluxgate.yaml': 'network:\n  charts: true\n' });
    const online = await validate(root, { cache });
    expect(repo.requests).toEqual(['/index.yaml', '/web-1.1.0.tgz']);
    expect(at(online, 'policy/image-tag-pinned')).toEqual(['clusters/prod/apps.yaml:31']);
    expect(online.summary.coverage.clusters[0]!.helmReleases).toMatchObject({ rendered: 1 });
    expect(readdirSync(path.join(cache, 'charts', 'sha256'))).toHaveLength(1);

    // The repository is gone: the cache answers, offline or not.
    await repo.close();
    const again = await validate(tempRepo(files), { cache });
    expect(at(again, 'render/chart-not-available')).toEqual([]);
    expect(at(again, 'policy/image-tag-pinned')).toEqual(['clusters/prod/apps.yaml:31']);
    expect(await build(tempRepo(files), cache)).toContain('app.kubernetes.io/name: web');
  });

  it('rejects an archive whose sha256 is not the digest of the index, and prints no credentials', async () => {
    const served = tempDir();
    publish(served, ['1.0.0']);
    const repo = await chartRepository(served);
    cleanup.push(() => repo.close());
    appendFileSync(path.join(served, 'web-1.0.0.tgz'), 'tampered');
    const config = { '.fluxgate.yaml': 'network:\n  charts: true\n' };
    const tampered = await validate(
      tempRepo({
        ...bootstrap,
        ...config,
        'clusters/prod/apps.yaml': `${namespace}---\n${helmRepository(repo.url)}---\n${release('1.0.0')}`,
      }),
    );
    const info = tampered.diagnostics.find((d) => d.ruleId === 'render/chart-not-available');
    expect(info?.message).toContain('does not match the digest in the index');

    const secret = 'hunter2-CANARY';
    const private_ = await validate(
      tempRepo({
        ...bootstrap,
        ...config,
        'clusters/prod/apps.yaml': `${namespace}---\n${helmRepository(repo.url.replace('http://', `http://flux:${secret}@`).replace(/:\d+$/, ':1'))}---\n${release('1.0.0')}`,
      }),
    );
    const failure = private_.diagnostics.find((d) => d.ruleId === 'render/chart-not-available');
    expect(failure?.message).toContain('could not be downloaded');
    expect(JSON.stringify(private_)).not.toContain(secret);
  });

  it('OCI: a HelmRepository of type oci and an OCIRepository chartRef, pulled from a registry on loopback', async () => {
    const registry = await ociRegistry();
    cleanup.push(() => registry.stop());
    const packaged = tempDir();
    publish(packaged, ['1.0.0', '1.2.0']);
    for (const file of readdirSync(packaged)) registry.push(path.join(packaged, file), 'charts');
    const root = tempRepo({
      ...bootstrap,
      '.fluxgate.yaml': 'network:\n  charts: true\n',
      'clusters/prod/apps.yaml': `${namespace}---
${helmRepository(`oci://${registry.host}/charts`, '  type: oci\n  insecure: true\n')}---
${release('~1.0')}---
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: web-chart
  namespace: apps
spec:
  interval: 1h
  url: oci://${registry.host}/charts/web
  insecure: true
  ref:
    semver: ">=1.1.0"
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web-oci
  namespace: apps
spec:
  interval: 10m
  chartRef:
    kind: OCIRepository
    name: web-chart
`,
    });
    const cache = cacheDir();
    const out = await validate(root, { cache });
    expect(out.summary.coverage.clusters[0]!.helmReleases).toEqual({
      total: 2,
      rendered: 2,
      notAvailable: 0,
      failed: 0,
      notServed: 0,
    });
    const manifests = await build(root, cache);
    expect(manifests).toContain('image: ghcr.io/acme/web:1.0.0');
    expect(manifests).toContain('image: ghcr.io/acme/web:1.2.0');
  });

  it('fluxgate charts pull fills the cache (charts and a local chart’s repository dependency) for offline runs', async () => {
    const served = tempDir();
    publish(served, ['1.0.0']);
    publish(served, ['0.3.0'], 'common');
    const repo = await chartRepository(served);
    cleanup.push(() => repo.close());
    const local = chart('charts/app', { name: 'app' });
    local['charts/app/Chart.yaml'] +=
      `dependencies:\n  - name: common\n    version: 0.x\n    repository: ${repo.url}\n`;
    const files = {
      ...bootstrap,
      ...local,
      'clusters/prod/apps.yaml': `${namespace}---\n${helmRepository(repo.url)}---\n${release('1.0.0')}---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/app
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
`,
    };
    const cache = cacheDir();
    const root = tempRepo(files);
    const pulled = await runCli(['charts', 'pull'], {
      cwd: root,
      env: { ...process.env, FLUXGATE_CACHE_DIR: cache },
    });
    expect(pulled.stderr).toBe('');
    expect(pulled.stdout).toContain('2 HelmReleases rendered');
    expect(pulled.code).toBe(0);
    await repo.close();
    const out = await validate(root, { cache });
    expect(out.summary.coverage.clusters[0]!.helmReleases).toMatchObject({ rendered: 2, notAvailable: 0 });
    // The dependency's objects are part of the release.
    const manifests = await build(root, cache);
    expect(manifests).toContain('name: app-common');
  });
});
