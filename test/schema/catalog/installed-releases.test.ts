import { describe, expect, it } from 'vitest';
import type { CatalogProject } from '../../../src/schema/catalog/catalog-index.js';
import {
  chooseRelease,
  installedReleases,
  releaseVersion,
  urlRelease,
} from '../../../src/schema/catalog/installed-releases.js';

const project = (name: string, more: Partial<CatalogProject> = {}): CatalogProject => ({
  project: name,
  module: `example.com/${name}`,
  licence: 'Apache-2.0',
  charts: [],
  repos: [],
  forks: [],
  releases: [],
  ...more,
});

const PROJECTS = [
  project('cert-manager', { charts: ['cert-manager'], repos: ['cert-manager/cert-manager'] }),
  project('gateway-api', { repos: ['kubernetes-sigs/gateway-api'] }),
  project('volsync', { charts: ['volsync'], forks: ['volsync-perfectra1n'] }),
];

describe('installed releases', () => {
  it('reads versions, ranges of one minor, and nothing else', () => {
    expect(
      ['1.17.1', 'v1.17.x', '1.17.*', 'v1.17', '1.x', '>= 1.8.0', '$' + '{v}', 5].map(releaseVersion),
    ).toEqual(['v1.17.1', 'v1.17', 'v1.17', 'v1.17', undefined, undefined, undefined, undefined]);
  });

  it('reads a tag from remote kustomization resources', () => {
    expect(
      urlRelease(
        'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.2.1/standard-install.yaml',
      ),
    ).toEqual({
      repo: 'kubernetes-sigs/gateway-api',
      tag: 'v1.2.1',
    });
    expect(urlRelease('github.com/kubernetes-sigs/gateway-api/config/crd?ref=v1.3.0')).toEqual({
      repo: 'kubernetes-sigs/gateway-api',
      tag: 'v1.3.0',
    });
    expect(
      urlRelease(
        'https://raw.githubusercontent.com/cert-manager/cert-manager/v1.16.0/deploy/crds/crd-certificates.yaml',
      ),
    ).toEqual({
      repo: 'cert-manager/cert-manager',
      tag: 'v1.16.0',
    });
    expect(urlRelease('https://example.com/crds.yaml')).toBeUndefined();
  });

  it('finds them in OCIRepositories, GitRepositories, HelmReleases and URLs; a fork wins', () => {
    const found = installedReleases(
      PROJECTS,
      [
        {
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'OCIRepository',
          metadata: { name: 'cert-manager', namespace: 'flux-system' },
          spec: { url: 'oci://quay.io/jetstack/charts/cert-manager', ref: { tag: 'v1.18.2' } },
        },
        {
          apiVersion: 'helm.toolkit.fluxcd.io/v2',
          kind: 'HelmRelease',
          metadata: { name: 'cert-manager', namespace: 'cert-manager' },
          spec: { chart: { spec: { chart: 'cert-manager', version: 'v1.17.1' } } },
        },
        {
          apiVersion: 'helm.toolkit.fluxcd.io/v2',
          kind: 'HelmRelease',
          metadata: { name: 'volsync', namespace: 'storage' },
          spec: { chart: { spec: { chart: 'volsync-perfectra1n', version: '0.18.5' } } },
        },
      ],
      [
        {
          url: 'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.2.1/x.yaml',
          file: 'k.yaml',
        },
      ],
    );
    expect(Object.fromEntries(found)).toEqual({
      'cert-manager': { version: 'v1.18.2', from: 'OCIRepository flux-system/cert-manager' },
      'gateway-api': {
        version: 'v1.2.1',
        from: 'k.yaml: https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.2.1/x.yaml',
      },
      volsync: { fork: 'volsync-perfectra1n', from: 'HelmRelease storage/volsync' },
    });
  });

  it('chooses the pinned release of the same minor, else the next newer, else the newest', () => {
    const releases = [{ version: 'v1.21.2' }, { version: 'v1.17.4' }];
    expect(chooseRelease(releases, 'v1.17.1')?.version).toBe('v1.17.4');
    expect(chooseRelease(releases, 'v1.17')?.version).toBe('v1.17.4');
    expect(chooseRelease(releases, 'v1.9.0')?.version).toBe('v1.17.4');
    expect(chooseRelease(releases, 'v1.19.0')?.version).toBe('v1.21.2');
    expect(chooseRelease(releases, 'v1.30.0')?.version).toBe('v1.21.2');
    expect(chooseRelease(releases, undefined)?.version).toBe('v1.21.2');
  });
});
