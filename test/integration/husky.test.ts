import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitRepo } from '../helpers/git-repo.js';

const PROJECT = path.resolve(import.meta.dirname, '../..');
const good = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: one\n';
const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: one\n  k: two\n';

/**
 * A user's repository after `fluxgate init --hooks husky` and `npm i -D husky lint-staged fluxgate`:
 * the packages are linked from this project instead of downloaded (fluxgate is this checkout).
 */
function repoWithHusky(): string {
  const root = gitRepo({ 'apps/a.yaml': good });
  execFileSync('node', [path.join(PROJECT, 'bin/fluxgate.js'), 'init', '--hooks', 'husky'], { cwd: root });
  const modules = path.join(root, 'node_modules');
  mkdirSync(path.join(modules, '.bin'), { recursive: true });
  for (const pkg of ['husky', 'lint-staged'])
    symlinkSync(path.join(PROJECT, 'node_modules', pkg), path.join(modules, pkg));
  symlinkSync(PROJECT, path.join(modules, 'fluxgate'));
  symlinkSync(path.join(PROJECT, 'node_modules/.bin/lint-staged'), path.join(modules, '.bin/lint-staged'));
  symlinkSync(path.join(PROJECT, 'node_modules/.bin/husky'), path.join(modules, '.bin/husky'));
  symlinkSync(path.join(PROJECT, 'bin/fluxgate.js'), path.join(modules, '.bin/fluxgate'));
  writeFileSync(path.join(root, '.gitignore'), 'node_modules/\n');
  // What `npm install` runs through the "prepare": "husky" script init wrote.
  execFileSync(path.join(modules, '.bin/husky'), { cwd: root });
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '--no-verify', '-m', 'hooks');
  return root;
}

function commit(cwd: string, message: string): { status: number | null; output: string } {
  const r = spawnSync('git', ['commit', '-m', message], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${path.join(cwd, 'node_modules/.bin')}:${process.env.PATH}`,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.invalid',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.invalid',
    },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('husky + lint-staged (real git commits)', () => {
  it('lint-staged passes absolute paths; a bad commit is refused, a clean one goes through', {
    timeout: 120_000,
  }, () => {
    const root = repoWithHusky();
    const before = git(root, 'rev-parse', 'HEAD');
    writeFileSync(path.join(root, 'apps/a.yaml'), bad);
    git(root, 'add', 'apps/a.yaml');
    const refused = commit(root, 'break');
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('yaml/duplicate-key');
    expect(refused.output).toContain('apps/a.yaml');
    expect(git(root, 'rev-parse', 'HEAD')).toBe(before);

    writeFileSync(path.join(root, 'apps/a.yaml'), good.replace('one', 'three'));
    git(root, 'add', 'apps/a.yaml');
    const accepted = commit(root, 'fix');
    expect(accepted.status, accepted.output).toBe(0);
    expect(git(root, 'rev-parse', 'HEAD')).not.toBe(before);
  });
});
