import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const dup = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: one\n  k: two\n';
const clean = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';
const annotation = (root: string) =>
  `::error file=${root}/apps/dup.yaml,line=7,endLine=7,col=3,endColumn=4,title=yaml/duplicate-key::duplicate key "k" in a mapping`;

describe('fluxgate validate --format', () => {
  it('writes FORMAT=FILE outputs (relative to the working directory) besides printing text', async () => {
    const root = tempRepo({ 'apps/dup.yaml': dup });
    const run = await runCli(
      [
        'validate',
        '--format',
        'text',
        '--format',
        'sarif=out/fluxgate.sarif',
        '--format',
        'junit=TEST-fluxgate.xml',
      ],
      { cwd: path.join(root, 'apps') },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^apps\/dup\.yaml\n {2}7:3 {2}error {2}duplicate key/);
    const sarif = JSON.parse(readFileSync(path.join(root, 'apps/out/fluxgate.sarif'), 'utf8'));
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: 'yaml/duplicate-key', level: 'error' });
    expect(readFileSync(path.join(root, 'apps/TEST-fluxgate.xml'), 'utf8')).toMatch(
      /<failure message="apps\/dup.yaml:7:3: duplicate key &quot;k&quot; in a mapping" type="error">/,
    );
    // Written atomically: no temporary file is left beside the outputs.
    expect(readdirSync(path.join(root, 'apps/out'))).toEqual(['fluxgate.sarif']);
  });

  it('writes plain text to a file even when stdout has colours', async () => {
    const root = tempRepo({ 'apps/dup.yaml': dup });
    await runCli(['validate', '--format', 'text=report.txt'], {
      cwd: root,
      env: { FORCE_COLOR: '1', NO_COLOR: '' },
    });
    expect(readFileSync(path.join(root, 'report.txt'), 'utf8')).not.toContain('\u001b[');
  });

  it('prints text, github and azure in the order given', async () => {
    const root = tempRepo({ 'apps/dup.yaml': dup });
    const run = await runCli(['validate', '--format', 'azure', '--format', 'github', '-q'], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      `##vso[task.logissue type=error;sourcepath=${root}/apps/dup.yaml;linenumber=7;columnnumber=3;code=yaml/duplicate-key]duplicate key "k" in a mapping`,
      '##vso[task.complete result=Failed;]',
      annotation(root),
      '',
    ]);
  });

  it('refuses two of json, sarif, junit on stdout (exit 2, nothing printed, nothing written)', async () => {
    const root = tempRepo({ 'apps/dup.yaml': dup });
    const run = await runCli(
      ['validate', '--format', 'json', '--format', 'junit=a.xml', '--format', 'sarif'],
      {
        cwd: root,
      },
    );
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(
      /^fluxgate: --format json, sarif: at most one of json, sarif, junit can go to stdout/,
    );
    expect(existsSync(path.join(root, 'a.xml'))).toBe(false);
  });

  it('exits 2 when an output file cannot be written', async () => {
    const root = tempRepo({ 'apps/dup.yaml': dup });
    writeFileSync(path.join(root, 'blocker'), '');
    const run = await runCli(['validate', '--format', 'sarif=blocker/fluxgate.sarif'], { cwd: root });
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/^fluxgate: cannot write .*blocker\/fluxgate\.sarif/);
  });

  it('adds GitHub annotations to the text in GitHub Actions when no --format is given', async () => {
    const root = tempRepo({ 'apps/dup.yaml': dup });
    const run = await runCli(['validate'], { cwd: root, env: { GITHUB_ACTIONS: 'true' } });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('apps/dup.yaml');
    expect(lines.slice(-3)).toEqual([
      annotation(root),
      'fluxgate: 1 error, 0 warnings, 0 notices annotated',
      '',
    ]);
    const json = await runCli(['validate', '--format', 'json'], {
      cwd: root,
      env: { GITHUB_ACTIONS: 'true' },
    });
    expect(() => JSON.parse(json.stdout)).not.toThrow();
  });

  it('adds Azure logging commands to the text in Azure Pipelines; a passing run does not fail the task', async () => {
    const root = tempRepo({ 'apps/dup.yaml': dup });
    const run = await runCli(['validate'], { cwd: root, env: { TF_BUILD: 'True' } });
    expect(run.stdout).toMatch(/^apps\/dup\.yaml\n/);
    expect(run.stdout).toMatch(
      /\n##vso\[task\.logissue type=error;[^\n]*code=yaml\/duplicate-key\][^\n]*\n##vso\[task\.complete result=Failed;\]\n$/,
    );
    const passing = await runCli(['validate'], {
      cwd: tempRepo({ 'apps/a.yaml': clean }),
      env: { TF_BUILD: 'True' },
    });
    expect(passing.code).toBe(0);
    expect(passing.stdout).not.toContain('##vso');
  });

  it('documents the formats in --help', async () => {
    const run = await runCli(['validate', '--help'], { cwd: tempRepo({}) });
    expect(run.stdout).toMatch(/--format FORMAT\[=FILE\][\s\S]*sarif, junit, github or azure/);
  });
});
