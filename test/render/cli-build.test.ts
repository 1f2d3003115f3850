// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` in plain strings is Flux's substitution syntax under test.
// `fluxgate build` and the render stage inside `fluxgate validate`.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { liveTempDirs } from '../../src/render/workspace/temp-dirs.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { FLEET } from './fleet.js';

const EXAMPLES = path.resolve(import.meta.dirname, '../../examples');

const docs = (text: string) => parseAllDocuments(text).map((d) => (Array.isArray(d) ? null : d.toJS()));

const secretRepo = () =>
  tempRepo({
    'clusters/c/apps.yaml':
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 1m\n  path: ./apps\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
    'apps/kustomization.yaml':
      'resources: [secret.yaml]\nsecretGenerator:\n  - name: generated\n    literals: [token=generated-canary]\n    options: { disableNameSuffixHash: true }\n',
    'apps/secret.yaml':
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: default\nstringData:\n  password: canary-value\n',
  });

describe('fluxgate build', () => {
  it('--cluster prints the rendered cluster, stable, with Secret values redacted', async () => {
    const first = await runCli(['build', '--cluster', 'alpha'], { cwd: FLEET });
    // What the output lacks is said on stderr: alpha's tenant reads another repository.
    expect(first.stderr).toBe(
      'note: Kustomization flux-system/tenant is not in the output: external source GitRepository/flux-system/tenant\n',
    );
    expect(first.code).toBe(0);
    const objects = docs(first.stdout);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toContain('Deployment/prod-team-a');
    expect(first.stdout).not.toContain('config.kubernetes.io/origin');
    const second = await runCli(['build', '--cluster', 'alpha'], { cwd: FLEET });
    expect(second.stdout).toBe(first.stdout);
  });

  it('--cluster says what it left out (a remote base) and exits 0; a second build comes from the cache', async () => {
    const root = tempRepo({
      'clusters/c/apps.yaml':
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 1m\n  path: ./apps\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
      'clusters/c/remote.yaml':
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: remote\n  namespace: flux-system\nspec:\n  interval: 1m\n  path: ./remote\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
      'apps/kustomization.yaml': 'resources: [cm.yaml]\n',
      'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: default\n',
      'remote/kustomization.yaml': 'resources:\n  - https://github.com/acme/fleet//base?ref=v1\n',
    });
    const cache = tempRepo({});
    const env = { ...process.env, FLUXGATE_CACHE_DIR: cache };
    const first = await runCli(['build', '--cluster', 'c', '--debug'], { cwd: root, env });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(
      'note: Kustomization flux-system/remote is not in the output: build skipped',
    );
    expect(first.stderr).toMatch(/render cache: 0 hits, \d+ misses/);
    const second = await runCli(['build', '--cluster', 'c', '--debug'], { cwd: root, env });
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toMatch(/render cache: \d+ hits, 0 misses/);
  });

  it('redacts data and stringData unless --show-secrets', async () => {
    const root = secretRepo();
    const redacted = await runCli(['build', '--cluster', 'c'], { cwd: root });
    expect(redacted.code).toBe(0);
    expect(redacted.stdout).not.toContain('canary');
    expect(redacted.stdout).toContain('<redacted>');
    const shown = await runCli(['build', '--cluster', 'c', '--show-secrets'], { cwd: root });
    expect(shown.stdout).toContain('canary-value');
    expect(shown.stdout).toContain(Buffer.from('generated-canary').toString('base64'));
  });

  it('PATH builds one directory; exit 1 when it fails, with the reason on stderr', async () => {
    const root = tempRepo({
      'ok/kustomization.yaml': 'resources: [cm.yaml]\n',
      'ok/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
      'bad/kustomization.yaml': 'resources:\n  - gone.yaml\n',
    });
    const ok = await runCli(['build', 'ok'], { cwd: root });
    expect([ok.code, docs(ok.stdout).map((o) => o.metadata.name)]).toEqual([0, ['a']]);
    const bad = await runCli(['build', 'bad'], { cwd: root });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^bad\/kustomization\.yaml:2:5: kustomize\/build-failed: /);
  });

  it('a Flux Kustomization file builds its target with the Flux fields', async () => {
    const out = await runCli(['build', 'clusters/alpha/apps.yaml'], { cwd: FLEET });
    expect(out.code).toBe(0);
    expect(docs(out.stdout).map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'alpha-apps/prod-monitoring',
      'alpha-apps/prod-team-a-config',
      'alpha-apps/prod-team-a',
    ]);
  });

  it('usage errors are exit 2', async () => {
    expect((await runCli(['build'], { cwd: FLEET })).code).toBe(2);
    const unknown = await runCli(['build', '--cluster', 'nope'], { cwd: FLEET });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('clusters: alpha, beta');
  });

  it('no kustomize is exit 2 saying how to install it', async () => {
    const env = { PATH: '/nonexistent', FLUXGATE_TOOLS_DIR: '/nonexistent' };
    const run = await runCli(['build', '--cluster', 'alpha'], { cwd: FLEET, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('npm run tools');
  });
});

describe('fluxgate validate renders', () => {
  it('the summary counts clusters and names the kustomize version; temp directories are removed', async () => {
    const run = await runCli(['validate', '--format', 'json', '--debug'], { cwd: FLEET });
    const summary = JSON.parse(run.stdout).summary;
    expect(summary.clusters).toBe(2);
    expect(summary.kustomizeVersion).toMatch(/^v5\./);
    const workspaces = [...run.stderr.matchAll(/workspace (\S+) for/g)].map((m) => m[1]!);
    expect(workspaces).toHaveLength(1);
    expect(workspaces.filter((w) => existsSync(w))).toEqual([]);
    expect(liveTempDirs()).toEqual([]);
  });

  it('findings carry the cluster and resource; a base line rendered twice is reported per cluster', async () => {
    const root = tempRepo({
      'clusters/a/apps.yaml':
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 1m\n  path: ./apps\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  postBuild:\n    substitute:\n      a: "1"\n',
      'clusters/b/apps.yaml':
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 1m\n  path: ./apps\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  postBuild:\n    substitute:\n      a: "2"\n',
      'apps/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: default\ndata:\n  A: ${a}\n  B: ${b}\n',
    });
    const run = await runCli(['validate', '--format', 'json'], { cwd: root });
    expect(run.code).toBe(1);
    const found = JSON.parse(run.stdout).diagnostics.filter(
      (d: { ruleId: string }) => d.ruleId === 'render/undefined-variable',
    );
    expect(
      found.map((d: { file: string; line: number; cluster: string }) => [d.file, d.line, d.cluster]),
    ).toEqual([
      ['apps/cm.yaml', 8, 'a'],
      ['apps/cm.yaml', 8, 'b'],
    ]);
    expect(found[0].resource).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'default',
      name: 'cm',
    });
  });

  it('--keep-temp keeps the build directory', async () => {
    const lines: string[] = [];
    const root = tempRepo({ 'a/kustomization.yaml': 'resources: []\n' });
    const run = await runCli(['validate', '--keep-temp', '--debug'], { cwd: root });
    lines.push(...run.stderr.split('\n'));
    const kept = lines.map((l) => /kept (\S+)/.exec(l)?.[1]).find(Boolean);
    expect(kept && existsSync(kept)).toBe(true);
    rmSync(kept!, { recursive: true, force: true });
  });
});

describe('the example fleets', () => {
  it('the clean fleet renders both clusters with no error finding', async () => {
    const run = await runCli(['validate', 'examples/aks-fleet', '--format', 'json'], {
      cwd: path.dirname(EXAMPLES),
    });
    const report = JSON.parse(run.stdout);
    expect(report.summary.clusters).toBe(2);
    expect(report.diagnostics.filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);
  });

  it('the broken fleet has exactly its two documented render findings (infos aside)', async () => {
    const run = await runCli(['validate', 'examples/aks-fleet-broken', '--format', 'json'], {
      cwd: path.dirname(EXAMPLES),
    });
    // The infos say what is not rendered (the ingress-nginx chart, offline), not what is wrong.
    const ours = JSON.parse(run.stdout).diagnostics.filter(
      (d: { ruleId: string; severity: string }) =>
        /^(render|kustomize)\//.test(d.ruleId) && d.severity !== 'info',
    );
    expect(
      ours.map((d: { ruleId: string; file: string; line: number; cluster: string }) => [
        d.ruleId,
        d.file,
        d.line,
        d.cluster,
      ]),
    ).toEqual([
      ['kustomize/build-failed', 'notifications/dev/kustomization.yaml', 6, 'dev-aks'],
      ['render/undefined-variable', 'notifications/prod/teams.yaml', 34, 'prod-aks'],
    ]);
  });
});

describe('interruption', () => {
  it('Ctrl-C kills the running kustomize and removes the build directories (exit 2)', async () => {
    const root = tempRepo({
      'a/kustomization.yaml': 'resources: []\n',
      'bin/kustomize': '#!/bin/sh\nif [ "$1" = version ]; then echo v5.8.1; exit 0; fi\nsleep 30\n',
    });
    const { chmodSync } = await import('node:fs');
    chmodSync(path.join(root, 'bin/kustomize'), 0o755);
    const started = performance.now();
    const run = runCli(['validate', '--kustomize-bin', path.join(root, 'bin/kustomize')], { cwd: root });
    while (liveTempDirs().length === 0 && performance.now() - started < 10_000)
      await new Promise((r) => setTimeout(r, 20));
    const dirs = liveTempDirs();
    await new Promise((r) => setTimeout(r, 200));
    process.kill(process.pid, 'SIGINT');
    const done = await run;
    expect(done.code).toBe(2);
    expect(done.stderr).toContain('interrupted');
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(dirs.filter((d) => existsSync(d))).toEqual([]);
  });
});
