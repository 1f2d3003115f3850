import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentStore, keepInMemory } from '../../src/cache/store.js';
import { keepParsed, loadFile } from '../../src/load/load-file.js';

// What the daemon keeps between runs: never a value of another text or key, never one a run changed.
afterEach(() => {
  keepParsed(0);
  keepInMemory(0);
});

const doc = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('parsed files kept between runs', () => {
  it('reuses a file whose text is unchanged, frozen, and parses a changed one again', () => {
    keepParsed(1 << 20);
    const first = loadFile('a.yaml', doc('one'));
    expect(loadFile('a.yaml', doc('one'))).toBe(first);
    expect(Object.isFrozen(first.source.resources[0]!.value)).toBe(true);
    expect(() => {
      (first.source.resources[0]!.value as Record<string, unknown>).kind = 'Secret';
    }).toThrow(TypeError);
    const changed = loadFile('a.yaml', doc('two'));
    expect(changed).not.toBe(first);
    expect(changed.source.resources[0]!.id?.name).toBe('two');
    // Another path with the same text is its own entry (resources carry their file).
    expect(loadFile('b.yaml', doc('two')).source.file).toBe('b.yaml');
  });

  it('keeps nothing when off, and at most the configured size of texts', () => {
    const off = loadFile('a.yaml', doc('one'));
    expect(loadFile('a.yaml', doc('one'))).not.toBe(off);
    keepParsed(doc('one').length + 10);
    const a = loadFile('a.yaml', doc('one'));
    loadFile('b.yaml', doc('one'));
    expect(loadFile('a.yaml', doc('one'))).not.toBe(a);
  });
});

describe('cache entries kept in memory', () => {
  const dir = () => mkdtempSync(path.join(os.tmpdir(), 'fluxgate-memory-'));

  it('answers from memory, frozen, a copy of what was written', () => {
    keepInMemory(1 << 20);
    const root = dir();
    const store = new ContentStore(root, 'test');
    const value = { resources: [{ name: 'x' }] };
    store.set('k1', value);
    value.resources[0]!.name = 'changed after set';
    rmSync(root, { recursive: true, force: true });
    const kept = store.get<typeof value>('k1');
    expect(kept).toEqual({ resources: [{ name: 'x' }] });
    expect(Object.isFrozen(kept!.resources[0])).toBe(true);
    expect(store.get('other')).toBeUndefined();
  });

  it('reads the disk when off', () => {
    const root = dir();
    const store = new ContentStore(root, 'test');
    store.set('k1', { a: 1 });
    expect(store.get('k1')).toEqual({ a: 1 });
    rmSync(root, { recursive: true, force: true });
    expect(store.get('k1')).toBeUndefined();
  });

  it('drops the least recently used entries beyond its size', () => {
    keepInMemory(4096);
    const root = dir();
    const store = new ContentStore(root, 'test');
    const big = (n: number) => ({ text: String(n).repeat(900) });
    for (let i = 0; i < 8; i++) store.set(`k${i}`, big(i));
    rmSync(root, { recursive: true, force: true });
    expect(store.get('k0')).toBeUndefined();
    expect(store.get('k7')).toEqual(big(7));
  });
});

describe('built-in policy results kept between runs', () => {
  it('answers an unchanged object from memory, with the same findings as a fresh evaluation', async () => {
    const { keepPolicyResults } = await import('../../src/policy/run-policy-check.js');
    const { validate } = await import('../../src/validate.js');
    const root = path.resolve(import.meta.dirname, '../../examples/aks-fleet-broken');
    const run = async () => {
      const lines: string[] = [];
      const result = await validate({
        cwd: root,
        render: { env: process.env },
        debug: (m) => {
          if (m.startsWith('policy:')) lines.push(m);
        },
      });
      return { diagnostics: result.diagnostics, debug: lines.join('\n') };
    };
    const fresh = await run();
    keepPolicyResults(1000);
    try {
      const first = await run();
      const second = await run();
      expect(first.debug).toContain(', 0 evaluations reused');
      expect(Number(/, (\d+) evaluations reused/.exec(second.debug)?.[1])).toBeGreaterThan(20);
      expect(first.diagnostics).toEqual(fresh.diagnostics);
      expect(second.diagnostics).toEqual(fresh.diagnostics);
      expect(second.diagnostics.some((d) => d.source === 'policy')).toBe(true);
    } finally {
      keepPolicyResults(0);
    }
  });
});

describe('BoundedMap', () => {
  it('keeps the most recently used entries within its limit, by weight', async () => {
    const { BoundedMap } = await import('../../src/core/bounded-map.js');
    const map = new BoundedMap<string, number>(10);
    map.set('a', 1, 4);
    map.set('b', 2, 4);
    expect(map.get('a')).toBe(1); // a is now the most recent
    map.set('c', 3, 4); // 12 > 10: b, the least recently used, goes
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([1, undefined, 3]);
    map.set('big', 4, 11); // heavier than the whole limit: not kept
    expect(map.get('big')).toBeUndefined();
    map.set('a', 5, 4); // replaces a's entry and weight
    expect(map.get('a')).toBe(5);
    map.setLimit(0);
    map.set('d', 6, 0);
    expect([map.enabled, map.get('a'), map.get('d')]).toEqual([false, undefined, undefined]);
  });
});
