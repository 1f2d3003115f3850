import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitRepo } from '../helpers/git-repo.js';

const PROJECT = path.resolve(import.meta.dirname, '../..');
const good = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: one\n';
const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: one\n  k: two\n';

function commit(cwd: string, message: string): { status: number | null; output: string } {
  // Through the real hook: git runs pre-commit, which runs fluxgate from its own installed copy.
  const result = spawnSync('git', ['commit', '-m', message], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.invalid',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.invalid',
    },
  });
  return { status: result.status, output: `${result.output}${result.stderr}` };
}

/**
 * The hook as users install it: `.pre-commit-config.yaml` naming this repository at its HEAD
 * commit (pre-commit clones it and installs it with npm, as it would from GitHub).
 */
function repoWithHook(args: string[] = []): string {
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT, encoding: 'utf8' }).trim();
  const root = gitRepo({
    'apps/a.yaml': good,
    '.pre-commit-config.yaml': `repos:\n  - repo: ${PROJECT}\n    rev: ${head}\n    hooks:\n      - id: fluxgate\n        args: ${JSON.stringify(args)}\n        verbose: true\n`,
  });
  execFileSync('pre-commit', ['install'], { cwd: root, encoding: 'utf8' });
  return root;
}

describe('pre-commit hook (real pre-commit and git)', () => {
  it('refuses a commit with a finding, showing it, and lets a clean commit through', {
    timeout: 300_000,
  }, () => {
    const root = repoWithHook();
    const before = git(root, 'rev-parse', 'HEAD');

    writeFileSync(path.join(root, 'apps/a.yaml'), bad);
    git(root, 'add', 'apps/a.yaml');
    const refused = commit(root, 'break it');
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('apps/a.yaml');
    expect(refused.output).toContain('yaml/duplicate-key');
    expect(git(root, 'rev-parse', 'HEAD')).toBe(before);

    writeFileSync(path.join(root, 'apps/a.yaml'), good.replace('one', 'two'));
    git(root, 'add', 'apps/a.yaml');
    const accepted = commit(root, 'fix it');
    expect(accepted.output).toMatch(/fluxgate.*Passed/);
    expect(accepted.status).toBe(0);
    expect(git(root, 'rev-parse', 'HEAD')).not.toBe(before);
  });

  it('a commit that only deletes a file a kustomization still lists is refused', { timeout: 300_000 }, () => {
    const root = repoWithHook();
    writeFileSync(
      path.join(root, 'apps/kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - a.yaml\n',
    );
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '--no-verify', '-m', 'overlay');
    git(root, 'rm', '-q', 'apps/a.yaml');
    const refused = commit(root, 'delete a.yaml');
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('kustomize/build-failed');
    expect(refused.output).toContain('apps/kustomization.yaml');
  });

  it('a commit touching only unrelated files checks nothing', { timeout: 300_000 }, () => {
    const root = repoWithHook(['--debug']);
    // A broken file already on main is not this commit's problem.
    writeFileSync(path.join(root, 'apps/old.yaml'), bad);
    git(root, 'add', 'apps/old.yaml');
    git(root, 'commit', '-q', '--no-verify', '-m', 'legacy');
    writeFileSync(path.join(root, 'README.md'), '# fleet\n');
    git(root, 'add', 'README.md');
    const result = commit(root, 'docs');
    expect(result.status).toBe(0);
    expect(result.output).toMatch(/\[debug\] staged: 1 changed files/);
    expect(result.output).toMatch(/\(0 files, 0 resources/);
  });
});
