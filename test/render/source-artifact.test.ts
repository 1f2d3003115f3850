// What the build copy holds: what source-controller puts in the artifact (fluxcd/pkg
// sourceignore.go and artifact/storage/archive.go), never the user's files themselves.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoFiles } from '../../src/git/repo-files.js';
import { listSourceFiles } from '../../src/render/workspace/source-files.js';
import { liveTempDirs } from '../../src/render/workspace/temp-dirs.js';
import { SourceWorkspace } from '../../src/render/workspace/workspace.js';
import { gitRepo } from '../helpers/git-repo.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { buildOne, byName } from './helpers.js';

const files = (root: string, ignore?: string) =>
  listSourceFiles(root, ignore)
    .entries.filter((e) => e.kind === 'file')
    .map((e) => e.rel);

describe('the source artifact', () => {
  it("leaves out source-controller's default ignores", () => {
    const root = tempRepo({
      'deploy/app.yaml': 'a: 1',
      'deploy/.sops.yaml': 'creation_rules: []',
      'deploy/.github/workflows/ci.yaml': 'on: push',
      'docs/cloudbuild.yaml': 'steps: []',
      'logo.png': 'png',
    });
    expect(files(root)).toEqual(['deploy/app.yaml']);
  });

  it('a .sourceignore pattern replaces the defaults (only VCS files stay out)', () => {
    const root = tempRepo({
      '.sourceignore': '# comment\n*.md\n',
      'deploy/app.yaml': 'a: 1',
      'deploy/.sops.yaml': 'creation_rules: []',
      'deploy/README.md': '# x',
    });
    expect(files(root)).toEqual(['.sourceignore', 'deploy/.sops.yaml', 'deploy/app.yaml']);
  });

  it('.sourceignore patterns are scoped to their directory; spec.ignore applies from the root', () => {
    const root = tempRepo({
      'a/.sourceignore': 'skip.yaml\n',
      'a/skip.yaml': 'x: 1',
      'b/skip.yaml': 'x: 1',
      'c/drop.yaml': 'x: 1',
      'c/keep.yaml': 'x: 1',
    });
    expect(files(root, '/c/drop.yaml')).toEqual(['a/.sourceignore', 'b/skip.yaml', 'c/keep.yaml']);
  });

  it('holds no symlinks and no git-ignored files', () => {
    const root = tempRepo({
      '.gitignore': 'secret.env\nnode_modules/\n',
      'a/real.yaml': 'x: 1',
      'a/secret.env': 'K=V',
    });
    mkdirSync(path.join(root, 'node_modules/pkg'), { recursive: true });
    writeFileSync(path.join(root, 'node_modules/pkg/x.yaml'), 'x: 1');
    symlinkSync('real.yaml', path.join(root, 'a/link.yaml'));
    const listing = listSourceFiles(root);
    expect(listing.entries.filter((e) => e.kind === 'file').map((e) => e.rel)).toEqual(['a/real.yaml']);
    expect(listing.symlinks).toEqual(['a/link.yaml']);
  });

  it('is a copy outside the repository, removed on dispose', () => {
    const root = tempRepo({ 'a/x.yaml': 'x: 1' });
    const ws = new SourceWorkspace(root);
    expect(path.relative(root, ws.base).startsWith('..')).toBe(true);
    expect(liveTempDirs()).toContain(ws.base);
    const dir = ws.prepareTarget('a', { 'kustomization.yaml': 'resources: [x.yaml]\n' });
    expect(dir.startsWith(ws.base)).toBe(true);
    ws.dispose();
    expect(liveTempDirs()).not.toContain(ws.base);
  });
});

describe('confinement to the source root', () => {
  it('a resource outside the source root fails the target at its line', async () => {
    const root = tempRepo({
      'repo/app/kustomization.yaml': 'resources:\n  - cm.yaml\n  - ../../outside/cm.yaml\n',
      'repo/app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
      'outside/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
    });
    const build = await buildOne(path.join(root, 'repo'), 'app', { spec: {} });
    expect(build.status).toBe('failed');
    expect(build.findings).toMatchObject([
      {
        ruleId: 'kustomize/build-failed',
        file: 'app/kustomization.yaml',
        docIndex: 0,
        pointer: '/resources/1',
      },
    ]);
    expect(build.findings[0]?.message).toContain('outside the source root');
  });

  it('a symlink leading out of the root fails; one inside the root is absent from the artifact', async () => {
    const root = tempRepo({
      'repo/app/kustomization.yaml': 'resources:\n  - cm.yaml\n  - escape.yaml\n',
      'repo/app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
      'repo/other/inside.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
      'repo/linked/kustomization.yaml': 'resources:\n  - inside.yaml\n',
      'outside/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
    });
    symlinkSync(path.join(root, 'outside/cm.yaml'), path.join(root, 'repo/app/escape.yaml'));
    symlinkSync('../other/inside.yaml', path.join(root, 'repo/linked/inside.yaml'));
    const escaping = await buildOne(path.join(root, 'repo'), 'app', { spec: {} });
    expect(escaping.findings).toMatchObject([{ ruleId: 'kustomize/build-failed', pointer: '/resources/1' }]);
    expect(escaping.findings[0]?.message).toContain('outside the source root');
    const inside = await buildOne(path.join(root, 'repo'), 'linked', { spec: {} });
    expect(inside.status).toBe('failed');
    expect(inside.findings[0]?.message).toContain('symlink');
  });

  it('kustomize never sees the user file: the merged kustomization is written in the copy', async () => {
    const text = 'resources: [cm.yaml]\n';
    const root = tempRepo({
      'app/kustomization.yaml': text,
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
    });
    const build = await buildOne(root, 'app', { spec: { namePrefix: 'x-' } });
    expect([...byName(build).keys()]).toEqual(['ConfigMap/x-a']);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path.join(root, 'app/kustomization.yaml'), 'utf8')).toBe(text);
  });
});

describe('the artifact is what a clone holds (git)', () => {
  const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

  it('leaves out what git ignores, keeps new files git would add, and --staged reads the index only', async () => {
    const root = gitRepo({
      '.gitignore': 'generated/\n',
      'app/kustomization.yaml': 'resources: [cm.yaml]\n',
      'app/cm.yaml': cm('tracked'),
    });
    // A CI step's output, git-ignored: a clone never holds it.
    mkdirSync(path.join(root, 'generated'));
    writeFileSync(path.join(root, 'generated/cm.yaml'), cm('ignored'));
    writeFileSync(path.join(root, 'app/new.yaml'), cm('new'));
    const files = async (mode: 'worktree' | 'index') =>
      listSourceFiles(root, { repo: await repoFiles(root, mode) })
        .entries.filter((e) => e.kind === 'file')
        .map((e) => e.rel);
    expect(await files('worktree')).toEqual(['app/cm.yaml', 'app/kustomization.yaml', 'app/new.yaml']);
    expect(await files('index')).toEqual(['app/cm.yaml', 'app/kustomization.yaml']);
  });

  it('a kustomization naming a git-ignored file fails as Flux would, at the entry', async () => {
    const root = gitRepo({
      '.gitignore': '*.local.yaml\n',
      'clusters/dev/kustomization.yaml': 'resources:\n  - cm.yaml\n  - values.local.yaml\n',
      'clusters/dev/cm.yaml': cm('a'),
    });
    writeFileSync(path.join(root, 'clusters/dev/values.local.yaml'), cm('local'));
    const run = await runCli(['validate', '--format', 'json', '--no-cache'], { cwd: root });
    const out = JSON.parse(run.stdout) as { diagnostics: { ruleId: string; file: string; line: number }[] };
    expect(out.diagnostics).toContainEqual(
      expect.objectContaining({
        ruleId: 'kustomize/build-failed',
        file: 'clusters/dev/kustomization.yaml',
        line: 3,
      }),
    );
  });
});
