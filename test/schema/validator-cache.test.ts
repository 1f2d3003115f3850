import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaCompiler } from '../../src/schema/compiler.js';
import { SchemaStore } from '../../src/schema/schema-store.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-validators-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 'two',
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'Sideways' },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27.0', imagePullPolicy: 'Sometimes', portz: [] }] },
    },
  },
};

describe('compiled schema validators cached as ajv standalone code', () => {
  it('give the same errors, with their schemas, as a fresh compile', async () => {
    const store = new SchemaStore({ root: dir, offline: true, cacheDir: path.join(dir, 'schemas') });
    const lookup = await store.lookup('apps/v1', 'Deployment');
    const kind = lookup.found!;
    const fresh = new SchemaCompiler().validator(kind);
    fresh(deployment);
    const expected = fresh.errors;
    expect(expected?.length).toBeGreaterThan(2);

    const writer = new SchemaCompiler({ cacheDir: dir }).validator(kind);
    writer(deployment);
    expect(writer.errors).toEqual(expected);
    expect(readdirSync(path.join(dir, 'validators')).length).toBeGreaterThan(0);

    // A new compiler (a new run) loads the cached code instead of compiling.
    const reader = new SchemaCompiler({ cacheDir: dir }).validator(kind);
    expect(reader).not.toBe(writer);
    reader(deployment);
    expect(reader.errors).toEqual(expected);
    expect(reader.errors?.every((e) => e.parentSchema !== undefined)).toBe(true);
    expect(reader({ ...deployment, spec: { ...deployment.spec, replicas: 2, strategy: {} } })).toBe(false);
  });
});
