import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitRepo } from '../helpers/git-repo.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const dup = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: one\n  k: two\n`;

describe('adopting fluxgate with a backlog', () => {
  it('--baseline reports only findings that are not in the earlier output, even when lines moved', async () => {
    const root = tempRepo({ 'old.yaml': dup('old') });
    const before = await runCli(['validate', '--format', 'json'], { cwd: root });
    writeFileSync(path.join(root, 'baseline.json'), before.stdout);
    writeFileSync(path.join(root, 'old.yaml'), `# a comment moves every line\n${dup('old')}`);
    expect((await runCli(['validate', '--baseline', 'baseline.json'], { cwd: root })).code).toBe(0);
    writeFileSync(path.join(root, 'new.yaml'), dup('new'));
    const after = await runCli(['validate', '--baseline', 'baseline.json', '--format', 'json'], {
      cwd: root,
    });
    expect(after.code).toBe(1);
    const out = JSON.parse(after.stdout);
    expect(out.diagnostics.map((d: { file: string }) => d.file)).toEqual(['new.yaml']);
    expect(out.summary.errors).toBe(1);
  });

  it('--new-since REF compares with a commit', async () => {
    const root = gitRepo({ 'old.yaml': dup('old') });
    const base = git(root, 'rev-parse', 'HEAD').trim();
    writeFileSync(path.join(root, 'new.yaml'), dup('new'));
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'add new');
    const run = await runCli(['validate', '--new-since', base, '--format', 'json'], { cwd: root });
    expect(JSON.parse(run.stdout).diagnostics.map((d: { file: string }) => d.file)).toEqual(['new.yaml']);
    expect((await runCli(['validate', '--new-since', 'HEAD'], { cwd: root })).code).toBe(0);
  });

  it.each([
    [['--baseline', 'missing.json'], /^fluxgate: --baseline missing\.json: no such file$/m],
    [['--new-since', 'no-such-ref'], /--new-since no-such-ref: not a commit/],
    [['--baseline', 'x.json', '--new-since', 'HEAD'], /exclude each other/],
  ])('%j is exit 2', async (flags, message) => {
    const root = gitRepo({ 'a.yaml': dup('a') });
    const run = await runCli(['validate', ...flags], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
