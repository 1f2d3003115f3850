import { describe, expect, it } from 'vitest';
import { checkSchemas, SchemaStore } from '../../src/schema/index.js';
import { miniBundleDir, tempDir } from './helpers.js';

const store = () =>
  new SchemaStore({ root: '/repo', bundleDir: miniBundleDir(), offline: true, cacheDir: tempDir() });
const id = { apiVersion: 'v1', kind: 'ConfigMap', name: 'settings' };

describe('checkSchemas on rendered objects', () => {
  it('places findings through the target’s mapping (the render stage’s mapToSource)', async () => {
    const value = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: 1 } };
    const findings = await checkSchemas(
      [
        {
          file: 'rendered',
          docIndex: 0,
          value,
          id,
          cluster: 'prod',
          place: (pointer) => ({ file: 'apps/patch.yaml', docIndex: 2, pointer: `/patched${pointer}` }),
        },
      ],
      { store: store() },
    );
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'schema/invalid',
        file: 'apps/patch.yaml',
        docIndex: 2,
        pointer: '/patched/data/a',
        cluster: 'prod',
        resource: id,
        source: 'schema',
      }),
    ]);
  });

  it('excuses values that depend on unknown variables', async () => {
    const value = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, immutable: 'maybe' };
    const target = { file: 'cm.yaml', docIndex: 0, value, id };
    expect(await checkSchemas([target], { store: store() })).toHaveLength(1);
    expect(await checkSchemas([{ ...target, unknown: ['/immutable'] }], { store: store() })).toEqual([]);
  });
});
