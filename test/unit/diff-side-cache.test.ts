import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitSideKey } from '../../src/diff/side-cache.js';
import { git, gitRepo } from '../helpers/git-repo.js';

const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n';

const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-side-key-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

const keyOf = async (root: string, env: Record<string, string | undefined> = process.env) => {
  const commit = git(root, 'rev-parse', 'HEAD').trim();
  return commitSideKey({ root, commit, cacheDir, env, cwd: root });
};

const key = async (root: string, env?: Record<string, string | undefined>) => {
  const keyed = await keyOf(root, env);
  if (!('key' in keyed)) throw new Error(`no key: ${keyed.why}`);
  return keyed.key;
};

// A cached base stands for a new check only while everything that check reads is the same.
describe('the cache key of a commit diffed before', () => {
  it('is the same for the same commit, and changes with what the run reads outside the commit', async () => {
    const root = gitRepo({ 'apps/kustomization.yaml': KUSTOMIZATION });
    const first = await key(root);
    expect(await key(root)).toBe(first);

    // The same tree in a new commit is the same check.
    git(root, 'commit', '-q', '--allow-empty', '-m', 'empty');
    expect(await key(root)).toBe(first);

    // Another tree.
    writeFileSync(path.join(root, 'apps/kustomization.yaml'), `${KUSTOMIZATION}# changed\n`);
    git(root, 'commit', '-qam', 'changed');
    const changed = await key(root);
    expect(changed).not.toBe(first);

    // The branch checked out and the remotes decide how clusters and sync URLs are matched.
    git(root, 'checkout', '-q', '-b', 'feature');
    const branch = await key(root);
    expect(branch).not.toBe(changed);
    git(root, 'remote', 'add', 'origin', 'https://github.com/example/fleet.git');
    const remote = await key(root);
    expect(remote).not.toBe(branch);

    // A chart pulled into the chart cache renders a HelmRelease that rendered nothing before.
    mkdirSync(path.join(cacheDir, 'charts/refs/ab'), { recursive: true });
    writeFileSync(path.join(cacheDir, 'charts/refs/ab/ab12.json'), '{"version":"1.0.0"}');
    const records = await key(root);
    expect(records).not.toBe(remote);
    // An archive removed by the cache's size limit: that release renders nothing now.
    mkdirSync(path.join(cacheDir, 'charts/sha256'), { recursive: true });
    writeFileSync(path.join(cacheDir, 'charts/sha256/ab12.tgz'), 'archive');
    const archived = await key(root);
    expect(archived).not.toBe(records);
    rmSync(path.join(cacheDir, 'charts/sha256/ab12.tgz'));
    const charts = await key(root);
    expect(charts).not.toBe(archived);

    // Where the tools are; a variable no tool reads changes nothing.
    expect(await key(root, { ...process.env, FLUXGATE_HELM_SERVER: '/nowhere/helm-server' })).not.toBe(
      charts,
    );
    expect(await key(root, { ...process.env, BUILD_BUILDID: '4711' })).toBe(charts);
  });

  it('a config that reads outside the commit is never cached', async () => {
    for (const config of [
      'schemaLocations: ["https://example.com/{{.ResourceKind}}.json"]\n',
      'policies: ["../shared-policies"]\n',
      'network:\n  remoteBases: true\n',
      'kustomize:\n  bin: ./bin/kustomize\n',
      'sources:\n  GitRepository/flux-system/other: ../other-repo\n',
    ]) {
      const root = gitRepo({ 'apps/kustomization.yaml': KUSTOMIZATION, '.fluxgate.yaml': config });
      const keyed = await keyOf(root);
      expect(keyed, config).toEqual({ why: expect.stringContaining('reads outside the commit') });
    }
    const plain = gitRepo({
      'apps/kustomization.yaml': KUSTOMIZATION,
      '.fluxgate.yaml': 'failLevel: warning\n',
    });
    expect(await keyOf(plain)).toEqual({ key: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
});
