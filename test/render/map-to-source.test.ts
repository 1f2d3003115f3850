// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` in plain strings is Flux's substitution syntax under test.
// Mapping a finding on a rendered object back to the line a person edits (issue 3, "Mapping back
// to the edited line"), on test/fixtures/render/fleet's alpha cluster.
import { describe, expect, it } from 'vitest';
import { locateRendered } from '../../src/model/locate-rendered.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { fleet, lineOf } from './fleet.js';
import { renderRepo } from './helpers.js';

async function at(name: string, pointer: string, key = false) {
  const render = await fleet();
  const cluster = render.clusters.find((c) => c.name === 'alpha')!;
  const resource = cluster.resources.find((r) => r.id.name === name)!;
  const located = locateRendered(render, cluster, resource, pointer, { key });
  return {
    file: located.file,
    line: located.line,
    via: located.via,
    ...(located.vars ? { vars: located.vars } : {}),
  };
}

const CONTAINER = '/spec/template/spec/containers/0';

describe('mapToSource', () => {
  it('the field in the origin file, when it holds the rendered value', async () => {
    expect(await at('prod-team-a', `${CONTAINER}/ports/0/containerPort`)).toEqual({
      file: 'apps/base/deployment.yaml',
      line: lineOf('apps/base/deployment.yaml', 'containerPort: 8080'),
      via: 'origin',
    });
    expect(await at('prod-monitoring', '/data/scrape')).toMatchObject({
      file: 'components/monitoring/monitoring.yaml',
      via: 'origin',
    });
  });

  it('a field only a patch adds (an unknown field) is at its key in the patch', async () => {
    const root = tempRepo({
      'base/kustomization.yaml': 'resources: [deploy.yaml]\n',
      'base/deploy.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n',
      'prod/kustomization.yaml': 'resources: [../base]\npatches:\n  - path: patch.yaml\n',
      'prod/patch.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  minReadySecond: 5\n',
    });
    const render = await renderRepo(root);
    const resource = render.standalone[0]!.resources[0]!;
    const located = locateRendered(render, undefined, resource, '/spec/minReadySecond', { key: true });
    expect([located.file, located.line, located.column, located.via]).toEqual([
      'prod/patch.yaml',
      6,
      3,
      'overlay',
    ]);
  });

  it('a strategic-merge patch file that set the value', async () => {
    expect(await at('prod-team-a', '/spec/replicas')).toEqual({
      file: 'apps/alpha/replicas-patch.yaml',
      line: lineOf('apps/alpha/replicas-patch.yaml', 'replicas: 3'),
      via: 'overlay',
    });
  });

  it("the Flux Kustomization's images entry, namespace and name prefix (merged into the target)", async () => {
    const ks = 'clusters/alpha/apps.yaml';
    expect(await at('prod-team-a', `${CONTAINER}/image`)).toEqual({
      file: ks,
      line: lineOf(ks, 'newTag'),
      via: 'flux',
    });
    expect(await at('prod-team-a', '/metadata/namespace')).toEqual({
      file: ks,
      line: lineOf(ks, 'targetNamespace'),
      via: 'flux',
    });
    expect(await at('prod-team-a', '/metadata/name')).toEqual({
      file: ks,
      line: lineOf(ks, 'namePrefix'),
      via: 'flux',
    });
    expect(await at('prod-team-a', '/metadata/labels/owner')).toEqual({
      file: ks,
      line: lineOf(ks, 'owner: platform'),
      via: 'flux',
    });
  });

  it('the ${var} a post-build substitution replaced, naming the variable', async () => {
    expect(await at('prod-team-a-config', '/data/REGION')).toEqual({
      file: 'apps/base/configmap.yaml',
      line: lineOf('apps/base/configmap.yaml', 'REGION'),
      via: 'variable',
      vars: ['region'],
    });
  });

  it("else the object's first line in its origin file, never line 0", async () => {
    expect(await at('prod-team-a', '/spec/strategy/type')).toEqual({
      file: 'apps/base/deployment.yaml',
      line: 1,
      via: 'resource',
    });
  });

  it('an overlay images entry and a JSON6902 patch op in plain overlays', async () => {
    const root = tempRepo({
      'base/kustomization.yaml': 'resources: [deploy.yaml]\n',
      'base/deploy.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web:1\n          args: [a]\n',
      'overlay/kustomization.yaml':
        'resources: [../base]\nimages:\n  - name: web\n    newTag: "2"\npatches:\n  - path: ops.yaml\n    target:\n      kind: Deployment\n      name: web\n',
      'overlay/ops.yaml': '- op: replace\n  path: /spec/template/spec/containers/0/args\n  value: [b]\n',
    });
    const render = await renderRepo(root);
    const build = render.standalone[0]!;
    const resource = build.resources[0]!;
    const image = locateRendered(render, undefined, resource, `${CONTAINER}/image`);
    expect([image.file, image.line]).toEqual(['overlay/kustomization.yaml', 4]);
    const args = locateRendered(render, undefined, resource, `${CONTAINER}/args/0`);
    expect([args.file, args.line]).toEqual(['overlay/ops.yaml', 3]);
  });
});
