// Findings of one build, with the real kustomize: failures at the entry that caused them,
// deprecations at their field, and what Flux refuses before building.
import { existsSync, realpathSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanKustomizeStderr, namedEntries } from '../../src/render/kustomize/kustomize-error.js';
import { selectKustomize } from '../../src/render/kustomize/select-kustomize.js';
import { Renderer } from '../../src/render/renderer.js';
import { SourceReader } from '../../src/render/source-reader.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { buildOne } from './helpers.js';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('kustomize stderr', () => {
  it('drops # Warning: lines and kubectl klog prefixes', () => {
    const stderr = [
      "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead.",
      'E1123 21:30:35.899795   11507 run.go:72] "command failed" err="accumulating resources: accumulation err=\'accumulating resources from \'missing.yaml\': open /w/missing.yaml: no such file\'"',
    ].join('\n');
    expect(cleanKustomizeStderr(stderr)).toBe(
      "accumulating resources: accumulation err='accumulating resources from 'missing.yaml': open /w/missing.yaml: no such file'",
    );
    expect(cleanKustomizeStderr('Error: trouble\n')).toBe('trouble');
  });

  it('names the entries a message mentions, outermost first', () => {
    expect(
      namedEntries(
        "accumulating resources from 'sub': recursed: accumulating resources from 'gone.yaml': evalsymlink failure on '/x/gone.yaml'",
      ),
    ).toEqual(['sub', 'gone.yaml', '/x/gone.yaml']);
    expect(namedEntries('loading KV pairs: file sources: [a.txt b.txt]: evalsymlink')).toEqual([
      'a.txt',
      'b.txt',
    ]);
    expect(namedEntries('failed to get the patch file from path(p.yaml): x')).toEqual(['p.yaml']);
  });
});

describe('a failed build is reported at the entry that caused it', () => {
  it('a missing resource → its resources line, with paths relative to the repository', async () => {
    const root = tempRepo({
      'app/kustomization.yaml': 'resources:\n  - cm.yaml\n  - gone.yaml\n',
      'app/cm.yaml': cm('a'),
    });
    const build = await buildOne(root, 'app');
    expect(build.status).toBe('failed');
    expect(build.findings).toMatchObject([
      {
        ruleId: 'kustomize/build-failed',
        severity: 'error',
        file: 'app/kustomization.yaml',
        pointer: '/resources/1',
      },
    ]);
    expect(build.findings[0]?.message).toContain("'gone.yaml'");
    expect(build.findings[0]?.message).not.toContain('fluxgate-build-');
  });

  it('a missing file in a base → the base kustomization line', async () => {
    const root = tempRepo({
      'overlay/kustomization.yaml': 'resources:\n  - ../base\n',
      'base/kustomization.yaml': 'resources:\n  - cm.yaml\n  - gone.yaml\n',
      'base/cm.yaml': cm('a'),
    });
    const build = await buildOne(root, 'overlay');
    expect(build.findings).toMatchObject([{ file: 'base/kustomization.yaml', pointer: '/resources/1' }]);
  });

  it('a missing patch file → its path line; a generator file → its files line; a component → its line', async () => {
    const root = tempRepo({
      'p/kustomization.yaml': 'resources: [cm.yaml]\npatches:\n  - path: gone-patch.yaml\n',
      'p/cm.yaml': cm('a'),
      'g/kustomization.yaml':
        'configMapGenerator:\n  - name: x\n    files:\n      - settings.txt\n      - gone.txt\n',
      'g/settings.txt': 'a=b',
      'c/kustomization.yaml': 'resources: [cm.yaml]\ncomponents:\n  - ../nothing\n',
      'c/cm.yaml': cm('a'),
    });
    expect((await buildOne(root, 'p')).findings).toMatchObject([
      { file: 'p/kustomization.yaml', pointer: '/patches/0/path' },
    ]);
    expect((await buildOne(root, 'g')).findings).toMatchObject([
      { file: 'g/kustomization.yaml', pointer: '/configMapGenerator/0/files/1' },
    ]);
    expect((await buildOne(root, 'c')).findings).toMatchObject([
      { file: 'c/kustomization.yaml', pointer: '/components/0' },
    ]);
  });

  it('a message naming no entry → the kustomization file itself', async () => {
    const root = tempRepo({
      'app/kustomization.yaml':
        'resources: [cm.yaml]\npatches:\n  - patch: |\n      - op: replace\n        path: /data/nope/x\n        value: 1\n    target: { kind: ConfigMap }\n',
      'app/cm.yaml': cm('a'),
    });
    expect((await buildOne(root, 'app')).findings).toMatchObject([
      { file: 'app/kustomization.yaml', pointer: '' },
    ]);
  });

  it('a failing Flux component → the Flux Kustomization line that added it', async () => {
    const root = tempRepo({ 'app/kustomization.yaml': 'resources: [cm.yaml]\n', 'app/cm.yaml': cm('a') });
    const flux = { spec: { components: ['../x'] } };
    const build = await buildOne(root, 'app', flux);
    expect(build.findings).toMatchObject([{ fluxPointer: '/spec/components/0' }]);
  });

  it('a targeted patch that matches nothing is not a failure', async () => {
    const root = tempRepo({
      'app/kustomization.yaml':
        'resources: [cm.yaml]\npatches:\n  - patch: |\n      - op: add\n        path: /data/x\n        value: y\n    target: { kind: Secret }\n',
      'app/cm.yaml': cm('a'),
    });
    expect((await buildOne(root, 'app')).status).toBe('ok');
  });
});

describe('before kustomize runs', () => {
  it('deprecated fields are info at the field, once, not per cluster', async () => {
    const root = tempRepo({
      'app/kustomization.yaml':
        'resources: [cm.yaml]\ncommonLabels:\n  a: b\npatchesStrategicMerge:\n  - patch.yaml\n',
      'app/cm.yaml': cm('a'),
      'app/patch.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: y\n',
    });
    const build = await buildOne(root, 'app');
    expect(build.status).toBe('ok');
    expect(build.findings.map((f) => [f.ruleId, f.severity, f.pointer, f.perCluster])).toEqual([
      ['kustomize/deprecated', 'info', '/commonLabels', false],
      ['kustomize/deprecated', 'info', '/patchesStrategicMerge', false],
    ]);
  });

  it('helmCharts in a Flux target is an error; kustomize is never asked to run Helm', async () => {
    const root = tempRepo({
      'app/kustomization.yaml':
        'helmCharts:\n  - name: x\n    repo: https://charts.example.com\n    version: 1.0.0\n',
    });
    const build = await buildOne(root, 'app', { spec: {} });
    expect(build.findings).toMatchObject([
      { ruleId: 'render/helm-charts-disabled', severity: 'error', pointer: '/helmCharts' },
    ]);
    const plain = await buildOne(root, 'app');
    expect(plain.status).toBe('skipped');
    expect(plain.findings).toEqual([]);
  });

  it('a remote base is info and skips the target unless network.remoteBases', async () => {
    const root = tempRepo({
      'app/kustomization.yaml': 'resources:\n  - https://github.com/acme/repo//base?ref=v1\n',
    });
    const build = await buildOne(root, 'app');
    expect(build.status).toBe('skipped');
    expect(build.findings).toMatchObject([
      { ruleId: 'render/remote-base-skipped', severity: 'info', pointer: '/resources/0' },
    ]);
  });

  it('a remote file anywhere (generator files, envs, patches) is found before kustomize runs: skipped, no network', async () => {
    const root = tempRepo({
      'app/kustomization.yaml': [
        'configMapGenerator:',
        '  - name: dashboards',
        '    files:',
        '      - cluster.json=https://raw.githubusercontent.com/acme/repo/main/cluster.json',
        'patches:',
        '  - path: https://example.invalid/patch.yaml',
        '',
      ].join('\n'),
    });
    const build = await buildOne(root, 'app');
    expect(build.status).toBe('skipped');
    expect(build.findings).toMatchObject([
      { ruleId: 'render/remote-base-skipped', severity: 'info', pointer: '/patches/0/path' },
      { ruleId: 'render/remote-base-skipped', severity: 'info', pointer: '/configMapGenerator/0/files/0' },
    ]);
    expect(build.findings[1]?.message).toContain("remote file 'https://raw.githubusercontent.com");
  });

  it('a SOPS-encrypted object in a Flux target without spec.decryption is an error', async () => {
    const secret =
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  k: ENC[AES256_GCM,data:eA==,type:str]\nsops:\n  mac: ENC[x]\n  version: 3.9.4\n';
    const root = tempRepo({
      'app/kustomization.yaml': 'resources: [secret.yaml]\n',
      'app/secret.yaml': secret,
    });
    const without = await buildOne(root, 'app', { spec: {} });
    expect(without.findings).toMatchObject([
      { ruleId: 'render/sops-without-decryption', file: 'app/secret.yaml', pointer: '/sops' },
    ]);
    const withDecryption = await buildOne(root, 'app', { spec: { decryption: { provider: 'sops' } } });
    expect(withDecryption.findings).toEqual([]);
  });
});

describe('kubectl kustomize', () => {
  const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((f) => existsSync(f));
  it.runIf(kubectl)('builds the same way, its klog prefix dropped from failures', async () => {
    const root = tempRepo({
      'app/kustomization.yaml': 'resources:\n  - cm.yaml\n  - gone.yaml\n',
      'app/cm.yaml': cm('a'),
    });
    const reader = new SourceReader(realpathSync(root), new Map());
    const command = await selectKustomize({ env: process.env, cwd: root, flag: kubectl });
    const renderer = new Renderer({
      reader,
      kustomize: command,
      concurrency: 1,
      timeoutMs: 60_000,
      remoteBases: false,
      env: process.env,
    });
    try {
      const build = await renderer.build({
        key: 'k',
        source: { id: 'repo', dir: realpathSync(root), rel: '' },
        path: 'app',
      });
      expect(build.findings).toMatchObject([
        { ruleId: 'kustomize/build-failed', file: 'app/kustomization.yaml', pointer: '/resources/1' },
      ]);
      expect(build.findings[0]?.message).toMatch(/^kustomize build failed: accumulating resources/);
    } finally {
      renderer.dispose();
    }
  });
});

describe('the narrowed build tree', () => {
  it('a file read only through a generator config (not a kustomization field) still builds, via the whole tree', async () => {
    // `generators:` names a builtin generator config whose own `files:` reads ../shared/data.txt:
    // fluxgate's reference list does not follow into generator configs, so the first, narrowed
    // tree lacks it; the build is retried with the whole source rather than reported.
    const root = tempRepo({
      'apps/dev/kustomization.yaml': 'generators: [../shared/cm-gen.yaml]\n',
      'apps/shared/cm-gen.yaml':
        'apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: settings\nfiles: [../shared/data.txt]\n',
      'apps/shared/data.txt': 'mode=fast\n',
    });
    const build = await buildOne(root, 'apps/dev');
    expect(build.findings).toEqual([]);
    expect(build.status).toBe('ok');
    expect(build.resources.map((r) => r.id.kind)).toEqual(['ConfigMap']);
    expect(JSON.stringify(build.resources[0]!.value)).toContain('mode=fast');
  });
});

describe('a kustomization that is not one, and files no build is given', () => {
  it.each([
    ['a list', '- a.yaml\n- b.yaml\n', 'cannot unmarshal array'],
    ['a scalar', 'resources\n', 'cannot unmarshal string'],
    ['binary bytes', '\u0000\u0001\u0002\ufffd', 'not YAML that Flux reads'],
  ])('a kustomization.yaml that is %s fails its build at the file', async (_name, text, message) => {
    const root = tempRepo({ 'app/kustomization.yaml': text });
    const build = await buildOne(root, 'app');
    expect(build.status).toBe('failed');
    expect(build.findings).toMatchObject([
      { ruleId: 'kustomize/build-failed', file: 'app/kustomization.yaml', pointer: '' },
    ]);
    expect(build.findings[0]!.message).toContain(message);
  });

  it('a build that reads an alias bomb is not run (kustomize would expand it)', async () => {
    const lines = ['x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 9; i++)
      lines.push(
        `x${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const root = tempRepo({
      'app/kustomization.yaml': 'resources:\n  - cm.yaml\n  - bomb.yaml\n',
      'app/cm.yaml': cm('a'),
      'app/bomb.yaml': `apiVersion: v1\nkind: List\nmetadata:\n  name: bomb\n${lines.join('\n')}\n`,
    });
    const build = await buildOne(root, 'app');
    expect(build.status).toBe('failed');
    expect(build.findings).toMatchObject([
      { ruleId: 'kustomize/build-failed', file: 'app/kustomization.yaml' },
    ]);
    expect(build.findings[0]!.message).toMatch(
      /not run: app\/bomb\.yaml line \d+: document contains excessive aliasing/,
    );
  });

  it('a build that reads a document past 3 MiB is not run', async () => {
    const root = tempRepo({
      'app/kustomization.yaml': 'resources:\n  - big.yaml\n',
      'app/big.yaml': `${cm('big')}data:\n  v: ${'x'.repeat(4 * 1024 * 1024)}\n`,
    });
    const build = await buildOne(root, 'app');
    expect(build.status).toBe('failed');
    expect(build.findings[0]!.message).toContain('not run: app/big.yaml line 1: document is 4.0 MiB');
  });
});
