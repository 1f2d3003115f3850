import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n';

const broken = {
  'apps/syntax.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  list: [1, 2\n',
  'apps/dup.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: one\n  k: two\n',
  'apps/noapi.yaml': 'kind: Deployment\nmetadata:\n  name: web\nspec: {}\n',
};

describe('fluxgate validate', () => {
  it('exits 0 on a clean repository', async () => {
    const root = tempRepo({ 'apps/settings.yaml': configMap, 'values.yaml': 'replicas: 2\n' });
    const run = await runCli(['validate'], { cwd: root });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      /^✔ 0 errors, 0 warnings, 0 infos \(2 files, 1 resource, 0 clusters, \d+ ms\)\n {2}no Flux cluster found: 1 file checked as written\n$/,
    );
  });

  it('says when there was nothing to check (a warning: a gate that checked nothing is not a silent pass)', async () => {
    for (const files of [{}, { 'values.yaml': 'replicas: 2\n' }] as Record<string, string>[]) {
      const run = await runCli(['validate', '--format', 'json'], { cwd: tempRepo(files) });
      expect(run.code).toBe(0);
      const out = JSON.parse(run.stdout) as { diagnostics: { ruleId: string; severity: string }[] };
      expect(out.diagnostics).toMatchObject([{ ruleId: 'render/nothing-checked', severity: 'warning' }]);
    }
    const failing = await runCli(['validate', '--fail-level', 'warning'], { cwd: tempRepo({}) });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('nothing to check here');
  });

  it('reports a syntax error, a duplicate key and an apiVersion-less object at their lines, exit 1', async () => {
    const root = tempRepo(broken);
    const run = await runCli(['validate', '--format', 'json'], { cwd: root });
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout);
    expect(out.version).toBe(1);
    expect(
      out.diagnostics.map((d: { ruleId: string; file: string; line: number; column: number }) => [
        d.file,
        d.line,
        d.column,
        d.ruleId,
      ]),
    ).toEqual([
      ['apps/dup.yaml', 7, 3, 'yaml/duplicate-key'],
      ['apps/noapi.yaml', 1, 1, 'yaml/missing-apiversion'],
      ['apps/syntax.yaml', 6, 13, 'yaml/syntax'],
    ]);
    expect(Object.keys(out.summary).sort()).toEqual(
      [
        'clusters',
        'coverage',
        'durationMs',
        'errors',
        'files',
        'kustomizeVersion',
        'resources',
        'warnings',
      ].sort(),
    );
    expect(out.summary).toMatchObject({ files: 3, errors: 3, warnings: 0 });
    for (const d of out.diagnostics) {
      expect(d).toMatchObject({ severity: 'error', source: 'yaml' });
      expect(d.helpUri).toMatch(/docs\/rules\/yaml-/);
    }
  });

  it('prints text grouped by file with a code frame', async () => {
    const root = tempRepo({ 'apps/dup.yaml': broken['apps/dup.yaml'] });
    const run = await runCli(['validate'], { cwd: root });
    expect(run.stdout.replace(/\d+ ms/, 'N ms')).toBe(
      [
        'apps/dup.yaml',
        '  7:3  error  duplicate key "k" in a mapping  yaml/duplicate-key',
        '      6 |   k: one',
        '    > 7 |   k: two',
        '        |   ^',
        '',
        '✖ 1 error, 0 warnings, 0 infos (1 file, 1 resource, 0 clusters, N ms)',
        '  no Flux cluster found: 1 file checked as written',
        '',
      ].join('\n'),
    );
  });

  it('colours only on a TTY and never with NO_COLOR', async () => {
    const root = tempRepo({ 'apps/dup.yaml': broken['apps/dup.yaml'] });
    const tty = await runCli(['validate'], { cwd: root, tty: true, env: { NO_COLOR: undefined } });
    expect(tty.stdout).toContain('\u001b[');
    const noColor = await runCli(['validate'], { cwd: root, tty: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\u001b[');
    const pipe = await runCli(['validate'], { cwd: root, tty: false, env: { NO_COLOR: undefined } });
    expect(pipe.stdout).not.toContain('\u001b[');
  });

  it('--fail-level decides which findings fail the run', async () => {
    const root = tempRepo({
      '.fluxgate.yaml': 'rules:\n  yaml/duplicate-key: warning\n',
      'apps/dup.yaml': broken['apps/dup.yaml'],
    });
    expect((await runCli(['validate'], { cwd: root })).code).toBe(0);
    expect((await runCli(['validate', '--fail-level', 'warning'], { cwd: root })).code).toBe(1);
    writeFileSync(
      path.join(root, '.fluxgate.yaml'),
      'failLevel: warning\nrules:\n  yaml/duplicate-key: warning\n',
    );
    expect((await runCli(['validate'], { cwd: root })).code).toBe(1);
  });

  it('a rule set to off reports nothing', async () => {
    const root = tempRepo({
      '.fluxgate.yaml': 'rules:\n  yaml/duplicate-key: off\n',
      'a.yaml': broken['apps/dup.yaml'],
    });
    const run = await runCli(['validate', '--format', 'json'], { cwd: root });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).diagnostics).toEqual([]);
  });

  describe('exit 2 with one clear line, never a stack trace', () => {
    it.each([
      [['validate', '--bogus'], /^fluxgate: Unknown option '--bogus'/],
      [['validate', '--format', 'xml'], /^fluxgate: --format xml: unknown format/],
      [
        ['validate', '--fail-level', 'fatal'],
        /^fluxgate: --fail-level fatal: expected error, warning or info/,
      ],
      [['validate', 'no/such/dir'], /^fluxgate: no\/such\/dir: no such file or directory/],
      [['frobnicate'], /^fluxgate: unknown command "frobnicate"/],
    ])('%j', async (argv, message) => {
      const root = tempRepo({ 'a.yaml': configMap });
      const run = await runCli(argv, { cwd: root });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });

    it('an invalid config names the config line', async () => {
      const root = tempRepo({
        '.fluxgate.yaml': 'clusters:\n  dev:\n    kubernetesVersion: banana\n',
        'clusters/dev/a.yaml': configMap,
      });
      const run = await runCli(['validate'], { cwd: root });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /^fluxgate: \.fluxgate\.yaml:3: clusters\.dev\.kubernetesVersion: "banana" is not a version/,
      );
    });

    it('clusters: entries that name no cluster are config errors, each at its line', async () => {
      const root = tempRepo({
        '.fluxgate.yaml':
          'clusters:\n  prod-ask:\n    environment: production\n  dev-aks: {}\n  stagin: {}\n',
        'clusters/prod-aks/a.yaml': configMap,
        'clusters/dev-aks/a.yaml': configMap,
      });
      const run = await runCli(['validate'], { cwd: root });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        'fluxgate: .fluxgate.yaml:2: clusters: no cluster named "prod-ask" (did you mean "prod-aks"?); the clusters are dev-aks, prod-aks\n' +
          '.fluxgate.yaml:5: clusters: no cluster named "stagin"; the clusters are dev-aks, prod-aks\n',
      );
    });

    it.each([
      [
        ['--flux-version', 'banana'],
        /^fluxgate: --flux-version banana: not a version \(e\.g\. 2\.9 or v2\.9\.4\)\n$/,
      ],
      [['--kubernetes-version', 'banana'], /^fluxgate: --kubernetes-version banana: not a version/],
      [
        ['--kubernetes-version', 'v1.33-eks'],
        /not a version \(e\.g\. 1\.33 or v1\.33\.2\) \(did you mean "1\.33"\?\)/,
      ],
      [
        ['--fail-level', 'warnings'],
        /--fail-level warnings: expected error, warning or info \(did you mean "warning"\?\)/,
      ],
      [['--only', 'shcema'], /--only shcema: expected one of .* \(did you mean "schema"\?\)/],
    ])('flag %j is exit 2 with a did-you-mean', async (flags, message) => {
      const run = await runCli(['validate', ...flags], { cwd: tempRepo({ 'a.yaml': configMap }) });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    });

    it('a config error wins over findings', async () => {
      const root = tempRepo({ '.fluxgate.yaml': 'bogus: 1\n', 'a.yaml': broken['apps/dup.yaml'] });
      expect((await runCli(['validate'], { cwd: root })).code).toBe(2);
    });
  });

  describe('repository root', () => {
    it('is the nearest ancestor with .fluxgate.yaml or .git, and files are relative to it', async () => {
      const root = tempRepo({ 'apps/team/dup.yaml': broken['apps/dup.yaml'] });
      const run = await runCli(['validate', '--format', 'json'], { cwd: path.join(root, 'apps', 'team') });
      expect(JSON.parse(run.stdout).diagnostics[0].file).toBe('apps/team/dup.yaml');
    });

    it('a DIR argument with its own .fluxgate.yaml is its own repository', async () => {
      const root = tempRepo({
        'examples/fleet/.fluxgate.yaml': 'exclude: []\n',
        'examples/fleet/apps/dup.yaml': broken['apps/dup.yaml'],
        'other/dup.yaml': broken['apps/dup.yaml'],
      });
      const run = await runCli(['validate', 'examples/fleet', '--format', 'json'], { cwd: root });
      expect(JSON.parse(run.stdout).diagnostics.map((d: { file: string }) => d.file)).toEqual([
        'apps/dup.yaml',
      ]);
    });

    it('a DIR below the root narrows the scope', async () => {
      const root = tempRepo({ 'a/dup.yaml': broken['apps/dup.yaml'], 'b/dup.yaml': broken['apps/dup.yaml'] });
      const run = await runCli(['validate', 'b', '--format', 'json'], { cwd: root });
      expect(JSON.parse(run.stdout).diagnostics.map((d: { file: string }) => d.file)).toEqual(['b/dup.yaml']);
    });

    it('--root overrides', async () => {
      const root = tempRepo({ 'sub/dup.yaml': broken['apps/dup.yaml'], 'sub/.fluxgate.yaml': '{}\n' });
      const run = await runCli(['validate', '--root', '.', 'sub', '--format', 'json'], { cwd: root });
      expect(JSON.parse(run.stdout).diagnostics[0].file).toBe('sub/dup.yaml');
    });
  });

  describe('suppressions', () => {
    it('a disable-next-line comment suppresses that rule on the next line', async () => {
      const root = tempRepo({
        'a.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: one\n  # fluxgate-disable-next-line yaml/duplicate-key -- legacy, fixed in JIRA-1\n  k: two\n',
      });
      const run = await runCli(['validate', '--format', 'json'], { cwd: root });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).diagnostics).toEqual([]);
    });

    it('an annotation suppresses findings on that resource', async () => {
      const root = tempRepo({
        'a.yaml':
          'kind: Deployment\nmetadata:\n  name: web\n  annotations:\n    fluxgate.io/ignore: yaml/missing-apiversion\n',
      });
      const run = await runCli(['validate', '--format', 'json'], { cwd: root });
      expect(JSON.parse(run.stdout).diagnostics).toEqual([]);
    });

    it('an unused suppression is reported as info and does not fail the run', async () => {
      const root = tempRepo({ 'a.yaml': `# fluxgate-disable-next-line yaml/duplicate-key\n${configMap}` });
      const run = await runCli(['validate', '--format', 'json'], { cwd: root });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).diagnostics).toMatchObject([
        { ruleId: 'config/unused-suppression', severity: 'info', file: 'a.yaml', line: 1 },
      ]);
    });
  });

  describe('redaction', () => {
    const canary = 'CANARY-s3cr3t-value-1234';
    const files = {
      'secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${canary}\n  password: ${canary}\n`,
      'secret-data.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db2\ndata:\n  token: ${Buffer.from(canary).toString('base64')}\n  token: x\n`,
    };
    it.each(['text', 'compact', 'json', 'sarif', 'junit', 'github', 'azure'])(
      'never prints Secret values (%s)',
      async (format) => {
        const root = tempRepo(files);
        const run = await runCli(['validate', '--format', format], { cwd: root });
        expect(run.code).toBe(1);
        expect(run.stdout).not.toContain(canary);
        expect(run.stdout).not.toContain(Buffer.from(canary).toString('base64'));
        if (format === 'text') expect(run.stdout).toContain('password: <redacted>');
      },
    );
  });

  it('--debug prints stage timings on stderr', async () => {
    const root = tempRepo({ 'a.yaml': configMap });
    const run = await runCli(['validate', '--debug'], { cwd: root });
    expect(run.stderr).toMatch(/\[debug\] stage load: \d+ ms/);
  });

  it('reads a file below a nested non-repo directory', async () => {
    const root = tempRepo({ 'a.yaml': configMap });
    mkdirSync(path.join(root, 'empty'));
    expect((await runCli(['validate', 'empty'], { cwd: root })).code).toBe(0);
  });
});

describe('fluxgate (top level)', () => {
  it('--version prints the package version', async () => {
    const run = await runCli(['--version'], { cwd: process.cwd() });
    expect(run).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });
  it('--help lists the commands', async () => {
    const run = await runCli(['--help'], { cwd: process.cwd() });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('validate [PATH...]');
  });
  it('rules lists every registered rule', async () => {
    const run = await runCli(['rules', '--format', 'json'], { cwd: process.cwd() });
    const ids = JSON.parse(run.stdout).map((r: { id: string }) => r.id);
    expect(ids).toContain('yaml/syntax');
    expect(ids).toContain('config/unused-suppression');
  });
});

describe('text output in CI logs', () => {
  it('repository content cannot inject Azure or GitHub log commands', async () => {
    const root = tempRepo({
      'a.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: "##vso[task.complete result=Succeeded;]"\n  k: x\n',
    });
    const run = await runCli(['validate'], { cwd: root });
    expect(run.stdout).toContain('vso[task.complete');
    expect(run.stdout).not.toContain('##vso[');
  });
});
