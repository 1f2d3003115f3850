// A Flux Kustomization's spec.path through a symlink: source-controller's artifact holds no
// symlinks, so the path is not in the source, wherever the link points. fluxgate says so and
// never reads what the link points at.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const sync = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: ssh://git@example.com/fleet
  ref:
    branch: main
  secretRef:
    name: flux-system
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/prod
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

const apps = (specPath: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ${specPath}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

const outside: string[] = [];
afterEach(() => {
  for (const dir of outside.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('spec.path through a symlink', () => {
  it.each([
    ['/etc', () => '/etc'],
    [
      'a directory outside the repository',
      () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-outside-'));
        outside.push(dir);
        writeFileSync(
          path.join(dir, 'cm.yaml'),
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside-secret-marker\n',
        );
        return dir;
      },
    ],
  ])('to %s is refs/path-not-found at spec.path, and nothing behind it is read', async (_name, target) => {
    const root = tempRepo({
      'clusters/prod/flux-system/gotk-sync.yaml': sync,
      'clusters/prod/apps.yaml': apps('./linked'),
    });
    symlinkSync(target(), path.join(root, 'linked'));
    const run = await runCli(['validate', '--format', 'json', '--no-cache'], { cwd: root });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const found = (
      JSON.parse(run.stdout) as {
        diagnostics: { ruleId: string; file: string; line: number; message: string }[];
      }
    ).diagnostics.filter((d) => d.ruleId === 'refs/path-not-found');
    expect(found).toMatchObject([{ file: 'clusters/prod/apps.yaml', line: 8 }]);
    expect(found[0]!.message).toContain('symbolic link linked ->');
    expect(found[0]!.message).toContain('outside the source');
    expect(run.stdout).not.toMatch(/root:x:0:0|outside-secret-marker/);
  });

  it('a real directory of the same name is fine', async () => {
    const root = tempRepo({
      'clusters/prod/flux-system/gotk-sync.yaml': sync,
      'clusters/prod/apps.yaml': apps('./linked'),
      'linked/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inside\n  namespace: default\n',
    });
    mkdirSync(path.join(root, 'linked'), { recursive: true });
    const run = await runCli(['validate', '--format', 'json', '--no-cache'], { cwd: root });
    const ids = (JSON.parse(run.stdout) as { diagnostics: { ruleId: string }[] }).diagnostics.map(
      (d) => d.ruleId,
    );
    expect(ids).not.toContain('refs/path-not-found');
  });
});
