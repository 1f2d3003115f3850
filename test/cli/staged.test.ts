import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNameStatus } from '../../src/git/staged.js';
import { git, gitRepo } from '../helpers/git-repo.js';
import { runCli } from '../helpers/run-cli.js';

const good = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: one\n';
const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: one\n  k: two\n';

function diagnostics(stdout: string): { file: string; ruleId: string }[] {
  return JSON.parse(stdout).diagnostics;
}

describe('validate --staged', () => {
  it('checks the staged content, not the work tree, and touches neither', async () => {
    const root = gitRepo({ 'apps/a.yaml': good, 'apps/other.yaml': bad });
    writeFileSync(path.join(root, 'apps/a.yaml'), bad);
    git(root, 'add', 'apps/a.yaml');
    writeFileSync(path.join(root, 'apps/a.yaml'), good); // fixed in the work tree, not staged
    const indexBefore = git(root, 'ls-files', '-s');
    const run = await runCli(['validate', '--staged', '--format', 'json'], { cwd: root });
    expect(run.code).toBe(1);
    // Only the staged file is checked: the committed problem in other.yaml is not this commit's.
    expect(diagnostics(run.stdout).map((d) => [d.file, d.ruleId])).toEqual([
      ['apps/a.yaml', 'yaml/duplicate-key'],
    ]);
    expect(readFileSync(path.join(root, 'apps/a.yaml'), 'utf8')).toBe(good);
    expect(git(root, 'ls-files', '-s')).toBe(indexBefore);
    expect(git(root, 'status', '--porcelain')).toBe('MM apps/a.yaml\n');
  });

  it('passes when the staged content is clean even if the work tree is not', async () => {
    const root = gitRepo({ 'a.yaml': good });
    writeFileSync(path.join(root, 'b.yaml'), good);
    git(root, 'add', 'b.yaml');
    writeFileSync(path.join(root, 'b.yaml'), bad);
    const run = await runCli(['validate', '--staged', '--format', 'json'], { cwd: root });
    expect(run.code).toBe(0);
  });

  it('a commit that changes no YAML checks nothing', async () => {
    const root = gitRepo({ 'a.yaml': bad });
    writeFileSync(path.join(root, 'README.md'), '# hi\n');
    git(root, 'add', 'README.md');
    const run = await runCli(['validate', '--staged', '--format', 'json'], { cwd: root });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).summary.files).toBe(0);
  });

  it('works from a subdirectory with its own .fluxgate.yaml', async () => {
    const root = gitRepo({ 'fleet/.fluxgate.yaml': '{}\n', 'fleet/a.yaml': good });
    writeFileSync(path.join(root, 'fleet/a.yaml'), bad);
    git(root, 'add', '-A');
    rmSync(path.join(root, 'fleet/a.yaml'));
    const run = await runCli(['validate', '--staged', '--format', 'json'], { cwd: path.join(root, 'fleet') });
    expect(diagnostics(run.stdout).map((d) => d.file)).toEqual(['a.yaml']);
  });

  it('outside a git repository is exit 2 with a clear message', async () => {
    const dir = path.dirname(gitRepo({}));
    const run = await runCli(['validate', '--staged', '--root', dir], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^fluxgate: git rev-parse failed/);
  });
});

describe('parseNameStatus', () => {
  it('reads additions, modifications, deletions and renames (old name deleted)', () => {
    const out = [
      'A',
      'new.yaml',
      'M',
      'mod.yaml',
      'D',
      'gone.yaml',
      'R097',
      'old.yaml',
      'moved.yaml',
      '',
    ].join('\0');
    expect(parseNameStatus(out)).toEqual([
      { file: 'new.yaml', status: 'added' },
      { file: 'mod.yaml', status: 'modified' },
      { file: 'gone.yaml', status: 'deleted' },
      { file: 'old.yaml', status: 'deleted' },
      { file: 'moved.yaml', status: 'added' },
    ]);
  });
});

describe('validate --staged with build targets', () => {
  const overlay = {
    'apps/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - settings.yaml\n',
    'apps/settings.yaml': good,
    'other/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - cm.yaml\n',
    'other/cm.yaml': good.replace('name: a', 'name: b'),
  };

  it('a commit that only deletes a file a kustomization still lists is refused', async () => {
    const root = gitRepo(overlay);
    git(root, 'rm', '-q', 'apps/settings.yaml');
    const run = await runCli(['validate', '--staged', '--format', 'json'], { cwd: root });
    expect(run.code).toBe(1);
    expect(diagnostics(run.stdout).map((d) => [d.file, d.ruleId])).toEqual([
      ['apps/kustomization.yaml', 'kustomize/build-failed'],
    ]);
  });

  it('a change to one overlay reports only the builds it affects', async () => {
    const root = gitRepo({ ...overlay, 'other/cm.yaml': `${good}  k: two\n`.replace('name: a', 'name: b') });
    writeFileSync(path.join(root, 'apps/settings.yaml'), good.replace('one', 'three'));
    git(root, 'add', 'apps/settings.yaml');
    const run = await runCli(['validate', '--staged', '--format', 'json'], { cwd: root });
    // other/ is broken on main, but this commit does not touch what it builds.
    expect(run.code).toBe(0);
    expect(diagnostics(run.stdout)).toEqual([]);
  });
});

describe('changed files that a build reads through a generator config', () => {
  // `generators:` names a builtin SecretGenerator whose own `files:` reads password.txt: the
  // build's list of inputs cannot name it, so any changed file of the source re-checks the build.
  const repo = {
    'app/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\ngenerators:\n  - generator.yaml\n',
    'app/generator.yaml':
      'apiVersion: builtin\nkind: SecretGenerator\nmetadata:\n  name: db\nfiles:\n  - password.txt\n',
    'app/password.txt': 'hunter2\n',
    'other/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - cm.yaml\n',
    'other/cm.yaml': good,
  };
  const plainSecret = ['app/generator.yaml', 'policy/secret-encrypted'];

  it('validate FILE on the data file checks the build that reads it', async () => {
    const root = gitRepo(repo);
    const run = await runCli(['validate', '--format', 'json', 'app/password.txt'], { cwd: root });
    expect(run.code).toBe(1);
    expect(diagnostics(run.stdout).map((d) => [d.file, d.ruleId])).toEqual([plainSecret]);
  });

  it('--staged with only the data file changed checks it too', async () => {
    const root = gitRepo(repo);
    writeFileSync(path.join(root, 'app/password.txt'), 'correct horse battery staple\n');
    git(root, 'add', 'app/password.txt');
    const run = await runCli(['validate', '--staged', '--format', 'json'], { cwd: root });
    expect(run.code).toBe(1);
    expect(diagnostics(run.stdout).map((d) => [d.file, d.ruleId])).toEqual([plainSecret]);
  });

  it('a build that lists all it reads is still left out', async () => {
    const root = gitRepo({ ...repo, 'other/cm.yaml': `${good}  k: two\n` });
    const run = await runCli(['validate', '--format', 'json', 'app/password.txt'], { cwd: root });
    // other/ has a duplicate key, but nothing it reads changed.
    expect(diagnostics(run.stdout).map((d) => [d.file, d.ruleId])).toEqual([plainSecret]);
  });
});
