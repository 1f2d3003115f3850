import { spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ContentStore, cacheSize, pruneCache } from '../../src/cache/store.js';
import { runCli } from '../helpers/run-cli.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BROKEN = path.join(ROOT, 'examples/aks-fleet-broken');
const dirs: string[] = [];

function temp(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the broken example fleet (the cache must never write into it) and an empty cache. */
function setup(): { repo: string; cache: string } {
  const repo = temp('fluxgate-cache-repo-');
  cpSync(BROKEN, repo, { recursive: true });
  return { repo, cache: temp('fluxgate-cache-') };
}

async function run(repo: string, cache: string, ...args: string[]) {
  const result = await runCli(['validate', '--format', 'json', '--debug', ...args], {
    cwd: repo,
    env: { ...process.env, FLUXGATE_CACHE_DIR: cache },
  });
  const json = JSON.parse(result.stdout) as { diagnostics: unknown[] };
  const stats = /render cache: (\d+) hits, (\d+) misses, (\d+) written/.exec(result.stderr);
  return {
    code: result.code,
    diagnostics: json.diagnostics,
    stderr: result.stderr,
    hits: Number(stats?.[1] ?? -1),
    misses: Number(stats?.[2] ?? -1),
    checkHit: result.stderr.includes('check cache: hit'),
  };
}

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const e of readdirSync(at, { withFileTypes: true }))
      e.isDirectory() ? walk(path.join(at, e.name)) : out.push(path.join(at, e.name));
  };
  walk(dir);
  return out;
}

describe('build and check cache', () => {
  it('a second run with nothing changed reuses every build and the checks, with the same findings', async () => {
    const { repo, cache } = setup();
    const cold = await run(repo, cache);
    expect(cold.hits).toBe(0);
    expect(cold.misses).toBeGreaterThan(5);
    expect(cold.checkHit).toBe(false);
    const warm = await run(repo, cache);
    expect(warm.misses).toBe(0);
    expect(warm.hits).toBe(cold.misses);
    expect(warm.checkHit).toBe(true);
    expect(warm.code).toBe(cold.code);
    expect(warm.diagnostics).toEqual(cold.diagnostics);
    // Nothing was written into the repository.
    expect(files(repo).sort()).toEqual(
      files(BROKEN)
        .map((f) => path.join(repo, path.relative(BROKEN, f)))
        .sort(),
    );
  });

  it('the same tree in another directory (a second clone, an exported commit) reuses the checks, with the same findings', async () => {
    const { repo, cache } = setup();
    const first = await run(repo, cache);
    expect(first.checkHit).toBe(false);
    const clone = temp('fluxgate-cache-clone-');
    cpSync(repo, clone, { recursive: true });
    const second = await run(clone, cache);
    expect(second.misses).toBe(0);
    expect(second.checkHit).toBe(true);
    expect(second.diagnostics).toEqual(first.diagnostics);
    expect(JSON.stringify(second.diagnostics)).not.toContain(repo);
  });

  it('an edited file rebuilds only the builds that read it, and its new findings are reported', async () => {
    const { repo, cache } = setup();
    const cold = await run(repo, cache);
    const file = path.join(repo, 'apps/dev/ingress-smoke-test.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/image: \S+/, 'image: busybox:latest'));
    const edited = await run(repo, cache);
    expect(edited.misses).toBeGreaterThan(0);
    expect(edited.misses).toBeLessThan(cold.misses);
    expect(edited.checkHit).toBe(false);
    const latest = (d: unknown) =>
      (d as { ruleId: string; file: string }).file === 'apps/dev/ingress-smoke-test.yaml' &&
      (d as { message: string }).message.includes('busybox:latest');
    expect(edited.diagnostics.some(latest)).toBe(true);
    expect(cold.diagnostics.some(latest)).toBe(false);
    // And the result equals a run without any cache.
    const uncached = await run(repo, cache, '--no-cache');
    expect(uncached.diagnostics).toEqual(edited.diagnostics);
  });

  it('a .sourceignore that hides a file a build reads changes the result (the artifact changed)', async () => {
    const { repo, cache } = setup();
    const cold = await run(repo, cache);
    writeFileSync(path.join(repo, '.sourceignore'), 'apps/dev/ingress-smoke-test.yaml\n');
    const ignored = await run(repo, cache);
    const uncached = await run(repo, cache, '--no-cache');
    expect(ignored.diagnostics).toEqual(uncached.diagnostics);
    expect(ignored.diagnostics).not.toEqual(cold.diagnostics);
  });

  it('--no-cache neither reads nor writes the cache', async () => {
    const { repo, cache } = setup();
    const result = await run(repo, cache, '--no-cache');
    expect(result.stderr).not.toContain('render cache:');
    expect(files(cache)).toEqual([]);
  });

  it('a corrupt entry is a miss, removed and written again', async () => {
    const { repo, cache } = setup();
    const cold = await run(repo, cache);
    const entries = files(path.join(cache, 'render'));
    for (const entry of entries) writeFileSync(entry, 'not a cache entry');
    const again = await run(repo, cache);
    expect(again.hits).toBe(0);
    expect(again.diagnostics).toEqual(cold.diagnostics);
    expect((await run(repo, cache)).misses).toBe(0);
  });

  it('a damaged entry that still reads (one letter changed) is a miss, and is written again', async () => {
    const { repo, cache } = setup();
    const cold = await run(repo, cache);
    // The damage a value check cannot see: a name changed by one letter, the entry still readable.
    let damaged = 0;
    for (const entry of [...files(path.join(cache, 'render')), ...files(path.join(cache, 'checks'))]) {
      const bytes = readFileSync(entry);
      let changed = false;
      for (let at = bytes.indexOf('flux-system'); at >= 0; at = bytes.indexOf('flux-system', at + 1)) {
        bytes.write('fmux-system', at);
        changed = true;
      }
      if (!changed) continue;
      writeFileSync(entry, bytes);
      damaged++;
    }
    expect(damaged).toBeGreaterThan(0);
    const again = await run(repo, cache);
    expect(again.code).toBe(cold.code);
    expect(again.diagnostics).toEqual(cold.diagnostics);
    expect(JSON.stringify(again.diagnostics)).not.toContain('fmux-system');
    expect(again.checkHit).toBe(false);
    // Written again: the next run reads every build from the cache.
    const third = await run(repo, cache);
    expect(third.misses).toBe(0);
    expect(third.checkHit).toBe(true);
  });

  it('keeps the cache directory and every directory under it private (0700), files 0600', async () => {
    const { repo } = setup();
    const policy = temp('fluxgate-policy-');
    writeFileSync(
      path.join(policy, 'p.rego'),
      'package main\n\nimport rego.v1\n\ndeny contains "no" if input.kind == "Nope"\n',
    );
    const modes = (root: string) => {
      const out: string[] = [];
      const walk = (at: string) => {
        out.push(`${path.relative(root, at) || '.'}/ ${(statSync(at).mode & 0o777).toString(8)}`);
        for (const e of readdirSync(at, { withFileTypes: true }))
          if (e.isDirectory()) walk(path.join(at, e.name));
          else
            out.push(
              `${path.relative(root, path.join(at, e.name))} ${(statSync(path.join(at, e.name)).mode & 0o777).toString(8)}`,
            );
      };
      walk(root);
      return out;
    };
    // Made by a plain validate (render, checks, validators, tool versions, compiled policies).
    const fresh = path.join(temp('fluxgate-cache-parent-'), 'cache');
    await run(repo, fresh, '--policy', policy);
    const made = modes(fresh);
    expect(made.filter((m) => m.includes('/ ')).length).toBeGreaterThan(3);
    expect(made.filter((m) => !/ (700|600)$/.test(m))).toEqual([]);
    // An older fluxgate's open cache directory is narrowed.
    const open = temp('fluxgate-cache-');
    chmodSync(open, 0o755);
    await run(repo, open);
    expect(statSync(open).mode & 0o777).toBe(0o700);
  });

  it('concurrent runs sharing the cache both finish with the same findings', async () => {
    const { repo, cache } = setup();
    const once = () =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [path.join(ROOT, 'bin/fluxgate.js'), 'validate', '-f', 'json'],
          {
            cwd: repo,
            env: { ...process.env, FLUXGATE_CACHE_DIR: cache },
          },
        );
        let stdout = '';
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
        });
        child.on('close', (code) => resolve({ code, stdout }));
      });
    const [a, b] = await Promise.all([once(), once()]);
    const strip = (s: string) => (JSON.parse(s) as { diagnostics: unknown[] }).diagnostics;
    expect(a.code).toBe(1);
    expect(b.code).toBe(1);
    expect(strip(a.stdout)).toEqual(strip(b.stdout));
    expect(files(cache).some((f) => f.endsWith('.tmp'))).toBe(false);
  });
});

describe('cache store', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-store-'));
    return () => rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the cache under its size limit, removing the least recently used entries', () => {
    const store = new ContentStore(dir, 'prune');
    const now = Date.now();
    for (let i = 0; i < 10; i++) {
      const key = `${i}`.padStart(4, '0');
      store.set(key, Buffer.alloc(1000, i));
      // Written a minute apart, oldest first.
      const at = new Date(now - (10 - i) * 60_000);
      utimesSync(path.join(dir, 'prune', key.slice(0, 2), key), at, at);
    }
    // Entry 0000 was used last: it survives; the oldest untouched ones go.
    expect(store.get('0000')).toBeDefined();
    const before = cacheSize(path.join(dir, 'prune'));
    expect(before.entries).toBe(10);
    const { removed } = pruneCache(path.join(dir, 'prune'), before.bytes / 2, now + 1000);
    expect(removed).toBeGreaterThan(0);
    expect(cacheSize(path.join(dir, 'prune')).bytes).toBeLessThanOrEqual(before.bytes * 0.4);
    expect(store.get('0000')).toBeDefined();
  });
});

describe('fluxgate cache', () => {
  it('dir prints the cache directory; clean empties it', async () => {
    const { repo, cache } = setup();
    await run(repo, cache);
    const env = { FLUXGATE_CACHE_DIR: cache };
    const dir = await runCli(['cache', 'dir'], { cwd: repo, env });
    expect(dir).toMatchObject({ code: 0, stdout: `${cache}\n` });
    const clean = await runCli(['cache', 'clean'], { cwd: repo, env });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^removed \d+ entries/);
    expect(cacheSize(cache).entries).toBe(0);
    const bad = await runCli(['cache', 'purge'], { cwd: repo, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected dir or clean');
  });
});

describe('changed files (validate FILE, as lint-staged calls it)', () => {
  type D = { ruleId: string; file: string; line: number; cluster?: string; message: string };
  const key = (d: D) => `${d.file}:${d.line} ${d.ruleId} ${d.cluster ?? ''} ${d.message}`;

  it('reports every finding of the full run in the builds that read the file, and nothing else', async () => {
    const { repo, cache } = setup();
    const full = (await run(repo, cache, '--no-cache')).diagnostics as D[];
    const changed = 'apps/dev/ingress-smoke-test.yaml';
    const warm = await run(repo, cache, changed);
    const cold = await run(repo, cache, '--no-cache', changed);
    expect(new Set((warm.diagnostics as D[]).map(key))).toEqual(new Set((cold.diagnostics as D[]).map(key)));
    const fullKeys = new Set(full.map(key));
    // Nothing the full run does not report...
    for (const d of warm.diagnostics as D[]) expect(fullKeys, key(d)).toContain(key(d));
    // ...and everything it reports in the changed file itself.
    const own = full.filter((d) => d.file === changed).map(key);
    expect(own.length).toBeGreaterThan(0);
    expect((warm.diagnostics as D[]).map(key)).toEqual(expect.arrayContaining(own));
  });
});

describe('the run deadline (--timeout)', () => {
  it('stops a run that takes too long with exit 2 and a clear message, leaving no temporary files', async () => {
    const { repo, cache } = setup();
    const tmp = temp('fluxgate-tmpdir-');
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [path.join(ROOT, 'bin/fluxgate.js'), 'validate', '--no-cache', '--timeout', '0.3'],
        {
          cwd: repo,
          env: { ...process.env, FLUXGATE_CACHE_DIR: cache, TMPDIR: tmp, FLUXGATE_KUSTOMIZE_SERVER: '0' },
        },
      );
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the run took longer than 0.3 s and was stopped');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('--timeout must be a positive number', async () => {
    const run = await runCli(['validate', '--timeout', 'soon'], { cwd: BROKEN });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--timeout soon: expected a number of seconds greater than 0');
  });
});

describe('builds whose inputs fluxgate cannot list', () => {
  it('a generator config reading its own files is never served stale from the cache', async () => {
    const { validate } = await import('../../src/validate.js');
    const repo = temp('fluxgate-cache-gen-');
    const cache = temp('fluxgate-cache-');
    const files: Record<string, string> = {
      '.git/HEAD': '',
      'apps/dev/kustomization.yaml': 'generators: [../shared/cm-gen.yaml]\n',
      'apps/shared/cm-gen.yaml':
        'apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: settings\noptions:\n  disableNameSuffixHash: true\nfiles: [../shared/data.txt]\n',
      'apps/shared/data.txt': 'mode=fast\n',
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
      writeFileSync(path.join(repo, file), text);
    }
    const data = async () => {
      const result = await validate({ cwd: repo, cacheDir: cache, render: { env: process.env } });
      return JSON.stringify(result.render.standalone.flatMap((b) => b.resources.map((r) => r.value.data)));
    };
    expect(await data()).toContain('mode=fast');
    writeFileSync(path.join(repo, 'apps/shared/data.txt'), 'mode=slow\n');
    expect(await data()).toContain('mode=slow');
  });
});
