// source-watcher's cp-like copy rules (internal/builder/builder.go), mapped back to the repository.
import { describe, expect, it } from 'vitest';
import { artifactDirectory, type GeneratedArtifact } from '../../src/model/artifact-generator.js';

const artifact = (...copy: GeneratedArtifact['copy']): GeneratedArtifact => ({
  generator: 'flux-system/gen',
  sources: [{ alias: 'repo', kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system', id: 'x' }],
  copy,
});
const op = (from: string, to: string, extra: Partial<GeneratedArtifact['copy'][number]> = {}) => ({
  from,
  to,
  exclude: [],
  ...extra,
});
const dirs = new Set(['apps', 'apps/podinfo', 'apps/podinfo/prod', 'infra', 'apps/base/x/app', 'a', 'b']);
const isDir = (_alias: string, dir: string) => dirs.has(dir);

describe('ArtifactGenerator copy rules', () => {
  it('dir/** copies the contents of dir into the destination', () => {
    expect(artifactDirectory(artifact(op('@repo/apps/podinfo/**', '@artifact/')), './prod', isDir)).toEqual({
      alias: 'repo',
      sourceDir: 'apps/podinfo',
      path: 'prod',
      ignore: [],
    });
    expect(
      artifactDirectory(artifact(op('@repo/apps/podinfo/*', '@artifact/app/')), 'app/prod', isDir),
    ).toMatchObject({
      sourceDir: 'apps/podinfo',
      path: 'prod',
    });
  });

  it('a directory without a glob is copied as itself into the destination (cp -r)', () => {
    expect(
      artifactDirectory(
        artifact(op('@repo/apps/podinfo', '@artifact/deploy/')),
        './deploy/podinfo/prod',
        isDir,
      ),
    ).toMatchObject({ sourceDir: 'apps/podinfo', path: 'prod' });
  });

  it('exclude patterns become ignore lines relative to the copied directory', () => {
    const found = artifactDirectory(
      artifact(op('@repo/apps/**', '@artifact/', { exclude: ['*.md', 'podinfo/test/**'] })),
      './podinfo',
      isDir,
    );
    expect(found).toMatchObject({
      sourceDir: 'apps',
      path: 'podinfo',
      ignore: ['/**/*.md', '/podinfo/test/**'],
    });
  });

  it('copies that keep the layout of one directory render from it, other directories ignored', () => {
    // fluxcd/flux2-kustomize-helm-example: the production overlay's ../base resolves in the artifact.
    const found = artifactDirectory(
      artifact(
        op('@repo/apps/base/**', '@artifact/base/'),
        op('@repo/apps/production/**', '@artifact/production/'),
      ),
      './production',
      isDir,
    );
    expect(found).toEqual({
      alias: 'repo',
      sourceDir: 'apps',
      path: 'production',
      ignore: ['/*', '!/base/', '!/production/'],
    });
    const nested = artifactDirectory(
      artifact(op('@repo/apps/podinfo/prod/**', '@artifact/podinfo/prod/')),
      'podinfo/prod',
      isDir,
    );
    expect(nested).toMatchObject({
      sourceDir: 'apps',
      ignore: ['/*', '!/podinfo/', '/podinfo/*', '!/podinfo/prod/'],
    });
  });

  it('a directory copied as itself below the path (cp -r dir/ dest/ makes dest/dir) builds as that directory', () => {
    // xunholy/k8s-gitops: @repo/apps/base/x/app/ -> @artifact/apps/base/x/app/ lands at .../app/app,
    // and the Kustomization's path ./apps/base/x/app holds that one directory.
    const found = artifactDirectory(
      artifact(op('@repo/apps/base/x/app/', '@artifact/apps/base/x/app/', { exclude: ['*.md'] })),
      './apps/base/x/app',
      isDir,
    );
    expect(found).toEqual({ alias: 'repo', sourceDir: 'apps/base/x/app', path: '', ignore: ['*.md'] });
    expect(
      artifactDirectory(
        artifact(op('@repo/a/', '@artifact/t/'), op('@repo/b/', '@artifact/t/')),
        './t',
        isDir,
      ),
    ).toContain('several directories');
  });

  it('what cannot be rendered from the repository as it stands says why', () => {
    expect(
      artifactDirectory(artifact(op('@repo/apps/**', '@artifact/', { strategy: 'Merge' })), './', isDir),
    ).toContain('Merge strategy');
    expect(
      artifactDirectory(
        artifact(op('@repo/apps/**', '@artifact/'), op('@repo/infra/**', '@artifact/infra/')),
        './',
        isDir,
      ),
    ).toContain('composes');
    expect(artifactDirectory(artifact(op('@repo/apps/**', '@artifact/apps/')), './other', isDir)).toContain(
      'no copy operation',
    );
    expect(artifactDirectory(artifact(op('@repo/apps/*.yaml', '@artifact/')), './', isDir)).toContain(
      'writes files',
    );
  });
});
