// Rendered clusters feed the reference checks (src/refs) and findings land on the edited line:
// the documented refs rows of examples/aks-fleet-broken.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toClusterView } from '../../src/model/cluster-view.js';
import { locateRendered } from '../../src/model/locate-rendered.js';
import { checkRefs } from '../../src/refs/index.js';
import { renderRepo } from './helpers.js';

const BROKEN = path.resolve(import.meta.dirname, '../../examples/aks-fleet-broken');

describe('rendered clusters as reference-check input', () => {
  it('reports the broken fleet refs mistakes at their lines, per cluster', async () => {
    const render = await renderRepo(BROKEN);
    const { defaultConfig } = await import('../../src/config/config.js');
    const rows = render.clusters.flatMap((cluster) =>
      checkRefs(toClusterView(BROKEN, defaultConfig(), cluster))
        .filter((f) => f.severity !== 'info')
        .map((f) => {
          const resource = cluster.resources.find((r) => r.value === f.object.value)!;
          const at = locateRendered(render, cluster, resource, f.pointer);
          return `${f.ruleId} ${at.file}:${at.line} ${cluster.name}`;
        }),
    );
    expect(rows.sort()).toEqual([
      'refs/depends-on-not-found clusters/prod-aks/apps.yaml:14 prod-aks',
      'refs/source-not-found clusters/dev-aks/sandbox.yaml:14 dev-aks',
    ]);
    // The misspelled source is not mistaken for this repository: dev renders no sandbox.
    const dev = render.clusters.find((c) => c.name === 'dev-aks')!;
    expect(dev.incomplete).toContainEqual({
      namespace: 'flux-system',
      name: 'sandbox',
      reason: 'source GitRepository/flux-system/flux-sytem not found',
      kind: 'source-not-found',
    });
    // Once, although the walk met it waiting more than once.
    expect(dev.incomplete.filter((i) => i.name === 'sandbox')).toHaveLength(1);
  });
});
