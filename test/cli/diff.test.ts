import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { marked, type Token, type Tokens } from 'marked';
import { afterAll, describe, expect, it } from 'vitest';
import { fleetRepo as exampleRepo, filesOf } from '../helpers/fleet-repo.js';
import { git } from '../helpers/git-repo.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const FLEET = path.resolve(import.meta.dirname, '../../examples/aks-fleet');

// One cache for the file's runs: the base of every test is the same fleet.
const cache = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-diff-cache-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

/** A git repository holding the example fleet (plus `extra`), committed on main. */
const fleetRepo = (extra: Record<string, string> = {}) => exampleRepo(FLEET, extra);

function edit(root: string, file: string, change: (text: string) => string): void {
  const target = path.join(root, file);
  const before = readFileSync(target, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  writeFileSync(target, after);
}

const diff = (root: string, ...args: string[]) =>
  runCli(['diff', ...args], { cwd: root, env: { FLUXGATE_CACHE_DIR: cache } });

interface JsonDiff {
  reached: string[];
  clusters: {
    name: string;
    status: string;
    objects: {
      change: string;
      id: { kind: string; name: string };
      previousName?: string;
      diff: string;
      producer: { kustomization?: { name: string } };
    }[];
    findings: { added: { ruleId: string; severity: string }[]; removed: unknown[] };
  }[];
}

/** A ConfigMap whose name Flux's postBuild completes (`${team}`, from a Secret). */
const EXTRA = `apiVersion: v1
kind: ConfigMap
metadata:
  name: extra-\${team}
  namespace: podinfo
data:
  mode: one
`;

const BASE_GENERATOR = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - namespace.yaml
  - configmap.yaml
  - deployment.yaml
  - service.yaml
  - hpa.yaml
configMapGenerator:
  - name: podinfo-settings
    namespace: podinfo
    literals:
      - MODE=fast
secretGenerator:
  - name: podinfo-token
    namespace: podinfo
    literals:
      - token=s3cr3t-value-before
`;

describe('fluxgate diff', () => {
  it('a change to a base shows the rendered change in both clusters, each named with its Flux Kustomization', async () => {
    const root = fleetRepo();
    edit(root, 'apps/base/podinfo/service.yaml', (t) => t.replace('port: 9898', 'port: 8080'));
    const run = await diff(root);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe('The change reaches 2 of 2 clusters: dev-aks, prod-aks');
    for (const cluster of ['dev-aks', 'prod-aks']) {
      expect(run.stdout).toContain(`--- a/${cluster}/Service/podinfo/podinfo`);
    }
    expect(run.stdout).toContain('changed Service podinfo/podinfo (from Kustomization flux-system/apps)');
    expect(run.stdout).toMatch(/^ {4}- {6}port: 9898$/m);
    expect(run.stdout).toMatch(/^ {4}\+ {6}port: 8080$/m);
  });

  it('a change to one overlay reaches one cluster', async () => {
    const root = fleetRepo();
    edit(root, 'apps/prod/kustomization.yaml', (t) => t.replace('newTag: 6.7.1', 'newTag: 6.7.2'));
    const run = await diff(root, '--format', 'json');
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as JsonDiff;
    expect(out.reached).toEqual(['prod-aks']);
    const prod = out.clusters.find((c) => c.name === 'prod-aks')!;
    expect(prod.objects.map((o) => [o.change, o.id.kind, o.id.name, o.producer.kustomization?.name])).toEqual(
      [['changed', 'Deployment', 'podinfo', 'apps']],
    );
    expect(prod.objects[0]!.diff).toContain('+          image: ghcr.io/stefanprodan/podinfo:6.7.2');
    expect(out.clusters.find((c) => c.name === 'dev-aks')!.status).toBe('unchanged');
  });

  it('a HelmRelease values change shows the chart objects it changes, named with the HelmRelease', async () => {
    const root = fleetRepo();
    edit(root, 'infrastructure/status-page.yaml', (t) => t.replace('replicaCount: 2', 'replicaCount: 3'));
    const out = JSON.parse((await diff(root, '--format', 'json')).stdout) as JsonDiff;
    expect(out.reached).toEqual(['dev-aks', 'prod-aks']);
    const objects = out.clusters.find((c) => c.name === 'prod-aks')!.objects;
    expect(objects.map((o) => `${o.change} ${o.id.kind} ${o.id.name}`)).toEqual([
      'changed Deployment status-page',
      'changed HelmRelease status-page',
    ]);
    const deployment = objects[0] as JsonDiff['clusters'][number]['objects'][number] & {
      producer: { helmRelease?: { namespace: string; name: string } };
    };
    expect(deployment.producer).toEqual({
      kustomization: { namespace: 'flux-system', name: 'infrastructure' },
      helmRelease: { namespace: 'flux-system', name: 'status-page' },
    });
    expect(deployment.diff).toContain('+  replicas: 3');
    const text = await diff(root, '--cluster', 'prod-aks');
    expect(text.stdout).toContain(
      'changed Deployment status-page/status-page (from HelmRelease flux-system/status-page (Kustomization flux-system/infrastructure))',
    );
    expect(text.stdout).not.toContain('dev-aks:');
    // A release whose chart is not available, unchanged in Git, renders the same: not said.
    expect(text.stdout).not.toContain('ingress-nginx');
  });

  it('a values change of a release whose chart is not available is said, not silently missing', async () => {
    const root = fleetRepo();
    edit(root, 'infrastructure/ingress-nginx.yaml', (t) => t.replace('replicaCount: 2', 'replicaCount: 3'));
    const text = await diff(root, '--cluster', 'prod-aks');
    expect(text.stdout).toContain('changed HelmRelease flux-system/ingress-nginx');
    expect(text.stdout).toContain(
      '  not rendered, changes not shown: HelmRelease flux-system/ingress-nginx: chart ',
    );
  });

  it('a generated ConfigMap whose hash suffix changes is a rename with its data diff; a Secret value never appears', async () => {
    const root = fleetRepo({ 'apps/base/podinfo/kustomization.yaml': BASE_GENERATOR });
    edit(root, 'apps/base/podinfo/kustomization.yaml', (t) =>
      t.replace('MODE=fast', 'MODE=slow').replace('s3cr3t-value-before', 's3cr3t-value-after'),
    );
    const json = await diff(root, '--format', 'json');
    const out = JSON.parse(json.stdout) as JsonDiff;
    const objects = out.clusters.find((c) => c.name === 'prod-aks')!.objects;
    const configMap = objects.find((o) => o.id.kind === 'ConfigMap')!;
    expect(configMap.change).toBe('renamed');
    expect(configMap.previousName).toMatch(/^podinfo-settings-[a-z0-9]{10}$/);
    expect(configMap.id.name).toMatch(/^podinfo-settings-[a-z0-9]{10}$/);
    expect(configMap.previousName).not.toBe(configMap.id.name);
    expect(configMap.diff).toContain('-  MODE: fast');
    expect(configMap.diff).toContain('+  MODE: slow');
    expect(objects.filter((o) => o.change === 'added' || o.change === 'removed')).toEqual([]);
    const secret = objects.find((o) => o.id.kind === 'Secret')!;
    expect(secret.change).toBe('renamed');
    expect(secret.diff).toContain('token: <redacted>');
    const forms = ['s3cr3t-value-before', 's3cr3t-value-after'].flatMap((v) => [
      v,
      Buffer.from(v).toString('base64'),
    ]);
    for (const format of ['text', 'json', 'markdown']) {
      const run = await diff(root, '--format', format);
      expect(run.code).toBe(1);
      for (const form of forms) expect(run.stdout + run.stderr).not.toContain(form);
    }
    const text = await diff(root);
    expect(text.stdout).toMatch(
      /renamed ConfigMap podinfo\/podinfo-settings-\w{10} → podinfo-settings-\w{10}/,
    );
  });

  it('a Secret whose only change is a redacted value is reported without its value', async () => {
    const secret = (v: string) =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\n  namespace: podinfo\nstringData:\n  token: ${v}\n`;
    const root = fleetRepo({
      'apps/base/podinfo/secret.yaml': secret('first-secret-value'),
      'apps/base/podinfo/kustomization.yaml': readFileSync(
        path.join(FLEET, 'apps/base/podinfo/kustomization.yaml'),
        'utf8',
      ).replace('  - hpa.yaml\n', '  - hpa.yaml\n  - secret.yaml\n'),
    });
    writeFileSync(path.join(root, 'apps/base/podinfo/secret.yaml'), secret('second-secret-value'));
    const run = await diff(root);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('changed Secret podinfo/token');
    expect(run.stdout).toContain('(only redacted Secret values differ)');
    expect(run.stdout).not.toMatch(/first-secret-value|second-secret-value/);
  });

  it('a secret value substituted into a name is redacted in titles and diff headers too', async () => {
    const apps = readFileSync(path.join(FLEET, 'clusters/prod-aks/apps.yaml'), 'utf8');
    const overlay = readFileSync(path.join(FLEET, 'apps/prod/kustomization.yaml'), 'utf8');
    const root = fleetRepo({
      'clusters/prod-aks/vars.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: vars\n  namespace: flux-system\nstringData:\n  team: hush-hush-team\n',
      'clusters/prod-aks/apps.yaml': apps.replace(
        '  postBuild:\n',
        '  postBuild:\n    substituteFrom:\n      - kind: Secret\n        name: vars\n',
      ),
      'apps/prod/extra.yaml': EXTRA,
      'apps/prod/kustomization.yaml': overlay.replace(
        '  - ../base/podinfo\n',
        '  - ../base/podinfo\n  - extra.yaml\n',
      ),
    });
    edit(root, 'apps/prod/extra.yaml', (t) => t.replace('mode: one', 'mode: two'));
    for (const format of ['text', 'json', 'markdown']) {
      const run = await diff(root, '--format', format);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('mode: two');
      expect(run.stdout).not.toContain('hush-hush-team');
    }
    expect((await diff(root)).stdout).toContain('changed ConfigMap podinfo/extra-<redacted>');
  });

  it('findings the change adds are summarised per cluster', async () => {
    const root = fleetRepo();
    edit(root, 'apps/prod/deployment-patch.yaml', (t) =>
      t.replace('minReadySeconds: 10', 'minReadySeconds: ten'),
    );
    const run = await diff(root);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([
      'The change reaches 1 of 2 clusters: prod-aks',
      'This change adds 1 error in prod-aks.',
    ]);
    expect(run.stdout).toMatch(/^prod-aks: 1 changed; adds 1 error$/m);
    expect(run.stdout).toMatch(
      /^ {2}\+ finding error schema\/\S+ apps\/prod\/deployment-patch\.yaml:7:\d+: /m,
    );
    const json = JSON.parse((await diff(root, '--format', 'json')).stdout) as JsonDiff;
    const prod = json.clusters.find((c) => c.name === 'prod-aks')!;
    expect(prod.findings.added.map((f) => f.severity)).toEqual(['error']);
    expect(prod.findings.removed).toEqual([]);
    const markdownText = (await diff(root, '--format', 'markdown')).stdout;
    const markdown = marked.lexer(markdownText);
    // The reach and the findings summary render as two paragraphs, not one run-on line.
    const paragraphs = markdown.filter((t): t is Tokens.Paragraph => t.type === 'paragraph');
    expect(paragraphs.slice(0, 2).map((p) => p.raw.trim())).toEqual([
      'The change reaches 1 of 2 clusters: prod-aks',
      '**This change adds 1 error in prod-aks.**',
    ]);
    const list = markdown.find((t): t is Tokens.List => t.type === 'list')!;
    expect(list.items.map((i) => i.text)).toEqual([
      expect.stringMatching(/^new \*\*error\*\* `schema\/\S+` apps\/prod\/deployment-patch\.yaml:7: /),
    ]);
    const table = markdown.find((t): t is Tokens.Table => t.type === 'table')!;
    expect(table.rows.map((r) => r[4]!.text)).toEqual(['adds 1 error']);
  });

  it('markdown renders as a summary table and a collapsed section per cluster', async () => {
    const root = fleetRepo();
    edit(root, 'apps/base/podinfo/service.yaml', (t) => t.replace('port: 9898', 'port: 8080'));
    const run = await diff(root, '--format', 'markdown');
    expect(run.code).toBe(1);
    const tokens = marked.lexer(run.stdout);
    const table = tokens.find((t): t is Tokens.Table => t.type === 'table')!;
    expect(table.header.map((h) => h.text)).toEqual(['Cluster', 'Added', 'Removed', 'Changed', 'Findings']);
    expect(table.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['dev-aks', '0', '0', '1', '–'],
      ['prod-aks', '0', '0', '1', '–'],
    ]);
    const html = marked.parse(run.stdout, { async: false });
    expect(html.match(/<details>/g)).toHaveLength(2);
    expect(html).toContain('<summary><b>dev-aks</b>: 1 changed</summary>');
    // The diffs are code blocks inside the sections, not stray text.
    const codes = tokens.filter((t: Token): t is Tokens.Code => t.type === 'code');
    expect(codes.map((c) => c.lang)).toEqual(['diff', 'diff']);
    expect(codes[0]!.text).toContain('+      port: 8080');
    expect(run.stdout).not.toContain('Truncated');
  });

  it('markdown over --max-size is cut between objects and says so', async () => {
    const many = Array.from(
      { length: 40 },
      (_, i) =>
        `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: filler-${i}\n  namespace: podinfo\ndata:\n  text: "${'x'.repeat(60)}"\n`,
    ).join('');
    const root = fleetRepo();
    writeFileSync(path.join(root, 'apps/base/podinfo/filler.yaml'), many);
    edit(root, 'apps/base/podinfo/kustomization.yaml', (t) =>
      t.replace('  - hpa.yaml\n', '  - hpa.yaml\n  - filler.yaml\n'),
    );
    const whole = await diff(root, '--format', 'markdown');
    expect(whole.stdout.length).toBeGreaterThan(5000);
    expect(whole.stdout).not.toContain('Truncated');
    const cut = await diff(root, '--format', 'markdown', '--max-size', '5000');
    expect(cut.code).toBe(1);
    expect(cut.stdout.length).toBeLessThanOrEqual(5000);
    expect(cut.stdout).toMatch(
      /\*\*Truncated\*\*: the whole diff is longer than 5,000 characters; \d+ of 80 object changes shown/,
    );
    // Still well-formed: every section closed, every fence closed.
    const html = marked.parse(cut.stdout, { async: false });
    expect(html.match(/<details>/g)?.length).toBe(html.match(/<\/details>/g)?.length);
    expect((cut.stdout.match(/^```/gm) ?? []).length % 2).toBe(0);
  });

  it('leaves the work tree, the index and the temporary directory as they were', async () => {
    const root = fleetRepo();
    edit(root, 'apps/prod/kustomization.yaml', (t) => t.replace('newTag: 6.7.1', 'newTag: 6.7.2'));
    git(root, 'add', 'apps/prod/kustomization.yaml');
    edit(root, 'apps/base/podinfo/service.yaml', (t) => t.replace('port: 9898', 'port: 8080'));
    const status = git(root, 'status', '--porcelain');
    const head = git(root, 'rev-parse', 'HEAD');
    const staged = await diff(root, '--staged', '--format', 'json');
    expect((JSON.parse(staged.stdout) as JsonDiff).reached).toEqual(['prod-aks']);
    const worktree = await diff(root, '--format', 'json');
    expect((JSON.parse(worktree.stdout) as JsonDiff).reached).toEqual(['dev-aks', 'prod-aks']);
    expect(git(root, 'status', '--porcelain')).toBe(status);
    expect(git(root, 'rev-parse', 'HEAD')).toBe(head);
    const mine = path.join(os.tmpdir(), `fluxgate-${process.getuid?.()}`);
    const left = existsSync(mine) ? readdirSync(mine).filter((n) => n.includes(`-${process.pid}`)) : [];
    expect(left).toEqual([]);
  });

  it('compares two commits, and says when nothing differs (exit 0)', async () => {
    const root = fleetRepo();
    expect((await diff(root)).code).toBe(0);
    expect((await diff(root)).stdout.split('\n')[0]).toBe(
      'The change reaches no cluster (2 clusters render the same).',
    );
    edit(root, 'apps/prod/kustomization.yaml', (t) => t.replace('newTag: 6.7.1', 'newTag: 6.7.2'));
    git(root, 'commit', '-qam', 'prod 6.7.2');
    const run = await diff(root, 'HEAD~1', 'HEAD', '--format', 'json');
    expect((JSON.parse(run.stdout) as JsonDiff).reached).toEqual(['prod-aks']);
    expect((await diff(root, 'HEAD', 'HEAD')).code).toBe(0);
  });

  it('a fleet that did not exist at BASE is all new: its clusters are added', async () => {
    const root = tempRepo({ 'README.md': 'monorepo\n' }, { gitMarker: false });
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'readme');
    for (const [file, text] of Object.entries(filesOf(FLEET))) {
      mkdirSync(path.dirname(path.join(root, 'fleet', file)), { recursive: true });
      writeFileSync(path.join(root, 'fleet', file), text);
    }
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'fleet');
    const run = await runCli(['diff', 'HEAD~1', 'HEAD', '--format', 'json'], {
      cwd: path.join(root, 'fleet'),
      env: { FLUXGATE_CACHE_DIR: cache },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as JsonDiff;
    expect(out.clusters.map((c) => [c.name, c.status])).toEqual([
      ['dev-aks', 'added'],
      ['prod-aks', 'added'],
    ]);
    const prod = out.clusters.find((c) => c.name === 'prod-aks')!;
    expect(new Set(prod.objects.map((o) => o.change))).toEqual(new Set(['added']));
    expect(prod.objects.find((o) => o.id.kind === 'Deployment' && o.id.name === 'podinfo')!.diff).toMatch(
      /^--- \/dev\/null\n\+\+\+ b\/prod-aks\/Deployment\/podinfo\/podinfo\n@@ -0,0 \+1,\d+ @@\n\+apiVersion: apps\/v1\n/,
    );
  });

  it.each([
    [['no-such-ref'], /^fluxgate: BASE no-such-ref: not a commit in this repository\n$/],
    [['HEAD', 'nope'], /^fluxgate: HEAD nope: not a commit in this repository\n$/],
    [['HEAD', 'HEAD', '--staged'], /--staged compares with the index/],
    [['--format', 'html'], /--format html: expected text, json or markdown/],
    [['--max-size', '10'], /--max-size 10: expected a whole number of at least 2000/],
  ])('%j is exit 2 with one line and no stack trace', async (args, message) => {
    const root = fleetRepo();
    const run = await diff(root, ...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help and help diff document the arguments, formats and exit codes', async () => {
    for (const argv of [
      ['diff', '--help'],
      ['help', 'diff'],
    ]) {
      const run = await runCli(argv, { cwd: process.cwd() });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: fluxgate diff \[options\] \[BASE \[HEAD\]\]/);
      expect(run.stdout).toContain('text (default), json or markdown');
      expect(run.stdout).toContain('Exit codes: 0 no difference, 1 differences');
    }
    expect((await runCli(['--help'], { cwd: process.cwd() })).stdout).toContain('diff [BASE [HEAD]]');
  });

  it.runIf(process.platform === 'linux')(
    'Ctrl-C while the base renders: exit 2, the export is removed',
    async () => {
      const root = fleetRepo();
      edit(root, 'apps/prod/kustomization.yaml', (t) => t.replace('newTag: 6.7.1', 'newTag: 6.7.2'));
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-diff-tmp-'));
      const fresh = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-diff-cache-'));
      try {
        const bin = path.resolve(import.meta.dirname, '../../bin/fluxgate.js');
        const child = spawn(process.execPath, [bin, 'diff', '--debug'], {
          cwd: root,
          env: { ...process.env, TMPDIR: tmp, FLUXGATE_CACHE_DIR: fresh, FLUXGATE_DAEMON: '0' },
        });
        let stderr = '';
        let stdout = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
        await new Promise<void>((resolve) => {
          child.stderr.on('data', (c: Buffer) => {
            stderr += c.toString();
            if (/diff: merge base with main read from /.test(stderr)) resolve();
          });
          void exited.then(() => resolve());
        });
        // The base's export exists now, and its render has started.
        expect(child.exitCode).toBeNull();
        expect(readdirSync(tmp).flatMap((d) => readdirSync(path.join(tmp, d)))).toEqual([
          expect.stringMatching(/^ref-/),
        ]);
        child.kill('SIGINT');
        expect(await exited).toBe(2);
        expect(stderr).toMatch(/^fluxgate: interrupted$/m);
        expect(stderr).not.toMatch(/\n\s+at /);
        expect(stdout).toBe('');
        expect(readdirSync(tmp).flatMap((d) => readdirSync(path.join(tmp, d)))).toEqual([]);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
        rmSync(fresh, { recursive: true, force: true });
      }
    },
    120_000,
  );

  it('a base diffed before is read from the cache, not exported again, and the diff is the same', async () => {
    const root = fleetRepo();
    edit(root, 'apps/base/podinfo/service.yaml', (t) => t.replace('port: 9898', 'port: 8080'));
    const own = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-diff-sides-'));
    try {
      const run = () =>
        runCli(['diff', '--format', 'json', '--debug'], { cwd: root, env: { FLUXGATE_CACHE_DIR: own } });
      const first = await run();
      expect(first.stderr).toMatch(/diff: BASE [0-9a-f]{40}: not in the cache/);
      expect(first.stderr).toMatch(/diff: merge base with main read from /);
      const second = await run();
      expect(second.stderr).toMatch(/diff: BASE [0-9a-f]{40}: from the cache/);
      // Nothing of the base is exported or checked again.
      expect(second.stderr).not.toMatch(/diff: merge base with main read from /);
      expect(second.code).toBe(1);
      expect(second.stdout).toBe(first.stdout);
      const uncached = await runCli(['diff', '--format', 'json', '--no-cache'], { cwd: root, env: {} });
      expect(uncached.stdout).toBe(first.stdout);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('two commits diffed before are both read from the cache: nothing is exported', async () => {
    const root = fleetRepo();
    edit(root, 'apps/prod/kustomization.yaml', (t) => t.replace('newTag: 6.7.1', 'newTag: 6.7.2'));
    git(root, 'commit', '-qam', 'prod 6.7.2');
    const own = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-diff-sides-'));
    try {
      const run = () =>
        runCli(['diff', 'HEAD~1', 'HEAD', '--format', 'json', '--debug'], {
          cwd: root,
          env: { FLUXGATE_CACHE_DIR: own },
        });
      const first = await run();
      expect(first.stderr).toMatch(/diff: BASE [0-9a-f]{40}: not in the cache/);
      expect(first.stderr).toMatch(/diff: HEAD [0-9a-f]{40}: not in the cache/);
      const second = await run();
      expect(second.stderr).toMatch(/diff: BASE [0-9a-f]{40}: from the cache/);
      expect(second.stderr).toMatch(/diff: HEAD [0-9a-f]{40}: from the cache/);
      expect(second.stderr).not.toMatch(/ read from /);
      expect(second.stdout).toBe(first.stdout);
      expect((JSON.parse(second.stdout) as JsonDiff).reached).toEqual(['prod-aks']);
      expect(second.code).toBe(1);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('a secret value only the base holds stays redacted when the base comes from the cache', async () => {
    const kustomization = readFileSync(path.join(FLEET, 'apps/base/podinfo/kustomization.yaml'), 'utf8');
    const value = 'only-the-base-knows-this-value';
    const root = fleetRepo({
      'apps/base/podinfo/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\n  namespace: podinfo\nstringData:\n  token: ${value}\n`,
      'apps/base/podinfo/echo.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: echo\n  namespace: podinfo\ndata:\n  note: copied ${value} here\n`,
      'apps/base/podinfo/kustomization.yaml': kustomization.replace(
        '  - hpa.yaml\n',
        '  - hpa.yaml\n  - secret.yaml\n  - echo.yaml\n',
      ),
    });
    // The head has neither: only the base's run learns the value.
    rmSync(path.join(root, 'apps/base/podinfo/secret.yaml'));
    rmSync(path.join(root, 'apps/base/podinfo/echo.yaml'));
    writeFileSync(path.join(root, 'apps/base/podinfo/kustomization.yaml'), kustomization);
    const own = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-diff-sides-'));
    try {
      for (const expected of ['not in the cache', 'from the cache']) {
        for (const format of ['text', 'json', 'markdown']) {
          const run = await runCli(['diff', '--format', format, '--debug'], {
            cwd: root,
            env: { FLUXGATE_CACHE_DIR: own },
          });
          expect(run.code).toBe(1);
          expect(run.stdout).toContain('echo');
          expect(run.stdout + run.stderr).not.toContain(value);
          if (format === 'text') {
            expect(run.stderr).toContain(`: ${expected} (`);
            expect(run.stdout).toContain('removed ConfigMap podinfo/echo');
            expect(run.stdout).toContain('copied <redacted> here');
          }
        }
      }
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('outside a git repository: exit 2, said plainly', async () => {
    const root = tempRepo(
      { 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n' },
      { gitMarker: false },
    );
    for (const args of [[], ['HEAD~1']]) {
      const run = await diff(root, ...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /^fluxgate: diff: \S+ is not in a git repository \(diff compares commits\)\n$/,
      );
    }
  });

  it('a repository without main, master or origin/HEAD needs BASE', async () => {
    const root = fleetRepo();
    git(root, 'branch', '-m', 'main', 'trunk');
    const run = await diff(root);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no default branch \(origin\/HEAD, main or master\).*name BASE/);
  });
});
