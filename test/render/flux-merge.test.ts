// The merge itself, as plain data (fluxcd/pkg kustomize v1.35.4 GenerateManifest).
import { describe, expect, it } from 'vitest';
import { mergeFluxFields } from '../../src/render/flux/flux-merge.js';

const merge = (k: Record<string, unknown>, spec: Record<string, unknown>, exists = () => true) =>
  mergeFluxFields(k, spec, { componentExists: exists, generated: false });

describe('mergeFluxFields', () => {
  it('overrides namespace and name affixes, appends patches and components, and records where they came from', () => {
    const result = merge(
      {
        resources: ['a.yaml'],
        namespace: 'inner',
        namePrefix: 'team-',
        patches: [{ path: 'p.yaml' }],
        components: ['../c1'],
      },
      {
        targetNamespace: 'outer',
        namePrefix: 'prod-',
        patches: [{ patch: 'x', target: { kind: 'Deployment', unknown: 'dropped' } }],
        components: ['../c2'],
      },
    );
    expect(result.value).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['a.yaml'],
      namespace: 'outer',
      namePrefix: 'prod-',
      patches: [{ path: 'p.yaml' }, { patch: 'x', target: { kind: 'Deployment' } }],
      components: ['../c1', '../c2'],
    });
    expect([...result.fromFlux]).toEqual([
      ['/namespace', '/spec/targetNamespace'],
      ['/namePrefix', '/spec/namePrefix'],
      ['/patches/1', '/spec/patches/0'],
      ['/components/1', '/spec/components/0'],
    ]);
  });

  it('merges images by name: keeps what the Flux entry leaves empty; tag and digest change together', () => {
    const result = merge(
      {
        resources: ['a.yaml'],
        images: [
          { name: 'web', newName: 'ghcr.io/acme/web', digest: 'sha256:1' },
          { name: 'db', newTag: '1' },
        ],
      },
      {
        images: [
          { name: 'web', newTag: '2' },
          { name: 'cache', newName: 'redis' },
        ],
      },
    );
    expect(result.value.images).toEqual([
      { name: 'web', newName: 'ghcr.io/acme/web', newTag: '2' },
      { name: 'db', newTag: '1' },
      { name: 'cache', newName: 'redis' },
    ]);
    expect(result.fromFlux.get('/images/0')).toBe('/spec/images/0');
    expect(result.fromFlux.get('/images/2')).toBe('/spec/images/1');
  });

  it('drops missing components only with ignoreMissingComponents; refuses remote ones', () => {
    const missing = () => false;
    expect(merge({ resources: ['a'] }, { components: ['../x'] }, missing).value.components).toEqual(['../x']);
    expect(
      merge({ resources: ['a'] }, { components: ['../x'], ignoreMissingComponents: true }, missing).value
        .components,
    ).toBeUndefined();
    expect(merge({}, { components: ['github.com/acme/x'] }).error).toBe(
      "component path 'github.com/acme/x' must be local and relative",
    );
  });

  it('drops fields kustomize does not know and empty ones (Go omitempty), keeps the kind of a Component', () => {
    const result = merge({ kind: 'Component', resources: [], notAField: 1, namespace: '' }, {});
    expect(result.value).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Component',
      buildMetadata: ['originAnnotations'],
    });
    // (An existing kustomization without resources gets originAnnotations from Flux itself, so its
    // output keeps the annotation.)
    expect(result.userOriginAnnotations).toBe(true);
  });

  it("spec.buildMetadata replaces the kustomization's", () => {
    const result = merge(
      { resources: ['a'], buildMetadata: ['managedByLabel'] },
      { buildMetadata: ['transformerAnnotations'] },
    );
    expect(result.value.buildMetadata).toEqual(['transformerAnnotations']);
    expect(result.userOriginAnnotations).toBe(false);
  });
});
