import { describe, expect, it } from 'vitest';
import { releaseName } from '../../src/model/helm/helm-release-spec.js';
import { targetPathSegments } from '../../src/model/helm/values-layers.js';
import { valueSource } from '../../src/model/helm/values-place.js';
import type { ValuesLayer } from '../../src/model/types.js';

const layer = (values: unknown, extra: Partial<ValuesLayer> = {}): ValuesLayer => ({
  pointer: '',
  values,
  ...extra,
});
const image = ['spec', 'template', 'spec', 'containers', '0', 'image'];

describe('which values entry a rendered value came from', () => {
  const layers = [
    layer({ image: { repository: 'nginx', tag: '1.27' }, replicaCount: 1, port: 8080 }),
    layer({ image: { repository: 'ghcr.io/acme/web' }, replicaCount: 2 }),
    layer({ image: { tag: 'latest' }, maxSurge: 2 }),
  ];
  it('an image composed of repository and tag: the tag of the layer that overrides the others', () => {
    expect(valueSource(layers, image, 'ghcr.io/acme/web:latest')).toEqual({
      layer: 2,
      path: ['image', 'tag'],
    });
  });
  it('a number under a similarly named key only', () => {
    expect(valueSource(layers, ['spec', 'replicas'], 2)).toEqual({ layer: 1, path: ['replicaCount'] });
    expect(
      valueSource(
        layers,
        ['spec', 'template', 'spec', 'containers', '0', 'ports', '0', 'containerPort'],
        8080,
      ),
    ).toEqual({ layer: 0, path: ['port'] });
    // The same number under keys named unlike the field: no guess.
    expect(valueSource(layers, ['spec', 'revisionHistoryLimit'], 2)).toBeUndefined();
  });
  it('no guess for a value no entry sets, or one set by several unrelated keys', () => {
    expect(valueSource(layers, image, 'busybox:1.36')).toBeUndefined();
    expect(
      valueSource([layer({ a: 'shared-value', b: 'shared-value' })], ['data', 'x'], 'shared-value'),
    ).toBeUndefined();
  });
  it('a valuesFrom targetPath entry stands for its whole text', () => {
    const target = [layer('2.0.0', { targetPath: ['image', 'tag'] })];
    expect(valueSource(target, image, 'nginx:2.0.0')).toEqual({ layer: 0, path: ['image', 'tag'] });
  });
});

describe("helm-controller's release name", () => {
  it('is spec.releaseName, else [targetNamespace-]name, shortened to 53 characters with a hash', () => {
    expect(releaseName('web', {})).toBe('web');
    expect(releaseName('web', { targetNamespace: 'apps' })).toBe('apps-web');
    expect(releaseName('web', { targetNamespace: 'apps', releaseName: 'custom' })).toBe('custom');
    // sha256("a".repeat(60)) starts with 2b2e...: internal/release/name.go keeps 40 characters.
    const long = releaseName('a'.repeat(60), {});
    expect(long).toHaveLength(53);
    expect(long).toMatch(/^a{40}-[0-9a-f]{12}$/);
  });
});

describe('valuesFrom targetPath (Helm --set path syntax)', () => {
  it('splits on dots, keeps escaped dots, reads list indexes', () => {
    expect(targetPathSegments('a.b.c')).toEqual(['a', 'b', 'c']);
    expect(targetPathSegments('ingress.annotations.nginx\\.io/rewrite')).toEqual([
      'ingress',
      'annotations',
      'nginx.io/rewrite',
    ]);
    expect(targetPathSegments('env[1].value')).toEqual(['env', '1', 'value']);
  });
});

describe('a value inside a longer string', () => {
  it('comes from the values only when the strings beside it are there too (a template’s own image is not the values’)', () => {
    const layers = [
      layer({ image: { repository: 'ghcr.io/acme/chart-default' } }),
      layer({ image: { repository: 'registry.example/app', tag: 'latest' }, sidecar: { enabled: true } }),
    ];
    const sidecar = ['spec', 'template', 'spec', 'containers', '1', 'image'];
    expect(valueSource(layers, sidecar, 'alpine/socat:latest')).toBeUndefined();
    expect(valueSource(layers, image, 'registry.example/app:latest')).toEqual({
      layer: 1,
      path: ['image', 'tag'],
    });
  });
});
