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

  it('--new-since checks REF with the same flags and cache: a finding only a flag makes is not new', async () => {
    const widget = (size: string) =>
      `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w-${size}\nspec:\n  size: ${size}\n`;
    const root = gitRepo({
      'widget.yaml': widget('large'),
      // Removed in 1.25 (schema/removed-api); in 1.21 it is served, and no schema is bundled for it.
      'pdb.yaml':
        'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: p\n  namespace: default\nspec:\n  minAvailable: 1\n',
    });
    const schemas = tempRepo({
      'widget.json': JSON.stringify({
        type: 'object',
        properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
      }),
    });
    const cache = tempRepo({});
    const flags = [
      '--schema-location',
      `${schemas}/{{ .ResourceKind }}.json`,
      '--kubernetes-version',
      '1.21',
    ];
    const run = (...args: string[]) =>
      runCli(['validate', ...flags, '--format', 'json', ...args], {
        cwd: root,
        env: { FLUXGATE_CACHE_DIR: cache },
      });
    const files = (out: string) =>
      (JSON.parse(out) as { diagnostics: { file: string; ruleId: string }[] }).diagnostics.map(
        (d) => `${d.file} ${d.ruleId}`,
      );
    // Both findings exist only with the flags: the Widget's type error, and 1.21's missing schema.
    expect(files((await run()).stdout)).toEqual(['pdb.yaml schema/missing', 'widget.yaml schema/invalid']);
    const unchanged = await run('--new-since', 'HEAD');
    expect(files(unchanged.stdout)).toEqual([]);
    expect(unchanged.code).toBe(0);
    // REF's checks come from the cache a run of the same tree and flags filled.
    const plain = (...args: string[]) =>
      runCli(['validate', ...args], { cwd: root, env: { FLUXGATE_CACHE_DIR: cache } });
    await plain();
    expect((await plain('--new-since', 'HEAD', '--debug')).stderr).toMatch(
      /new-since HEAD: checking [^\n]*\n(.*\n)*\[debug\] check cache: hit/,
    );
    writeFileSync(path.join(root, 'widget-2.yaml'), widget('small'));
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'another widget');
    const added = await run('--new-since', 'HEAD~1');
    expect(files(added.stdout)).toEqual(['widget-2.yaml schema/invalid']);
    expect(added.code).toBe(1);
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
