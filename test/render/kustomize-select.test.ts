// Choosing kustomize (flag/config, pinned tools cache, PATH, kubectl kustomize), its version, and
// running it with a timeout that kills the whole process group.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToolError } from '../../src/core/errors.js';
import { Pool } from '../../src/render/kustomize/pool.js';
import { runProcess } from '../../src/render/kustomize/run-process.js';
import {
  compareVersions,
  MIN_KUSTOMIZE_VERSION,
  parseKustomizeVersion,
  selectKustomize,
} from '../../src/render/kustomize/select-kustomize.js';
import { locatePinnedTool, parseVersionsEnv, toolPins } from '../../src/tools/locate-tool.js';
import { findBundledTool, hostPlatform, platformPackageName } from '../../src/tools/platform-package.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { testKustomize } from './helpers.js';

function fakeTool(dir: string, name: string, script: string): string {
  const file = path.join(dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('the pinned tools cache', () => {
  it('reads tools/versions.env and locates <cache>/<name>-<version>/<name>', () => {
    const pins = parseVersionsEnv('# c\n\nKUSTOMIZE_VERSION=v5.8.1\nCONTROLLER_GEN_VERSION=v0.1.0\n');
    expect(pins.get('KUSTOMIZE_VERSION')).toBe('v5.8.1');
    const dir = tempRepo({});
    const tool = locatePinnedTool('controller-gen', { FLUXGATE_TOOLS_DIR: dir }, pins);
    expect(tool).toEqual({
      name: 'controller-gen',
      version: 'v0.1.0',
      path: path.join(dir, 'controller-gen-v0.1.0', 'controller-gen'),
      installed: false,
    });
    expect(locatePinnedTool('kustomize', { XDG_CACHE_HOME: '/c' }, pins)?.path).toBe(
      '/c/fluxgate-tools/kustomize-v5.8.1/kustomize',
    );
    expect(toolPins().get('KUSTOMIZE_VERSION')).toMatch(/^v5\./);
  });
});

describe('choosing kustomize', () => {
  it('parses versions and compares them', () => {
    expect(parseKustomizeVersion('v5.8.1\n')).toBe('v5.8.1');
    expect(parseKustomizeVersion('{Version:kustomize/v4.5.7 GitCommit:abc}')).toBe('v4.5.7');
    expect(compareVersions('v5.10.0', 'v5.8.1')).toBeGreaterThan(0);
  });

  it('uses the pinned cache first, and the version goes into the command', async () => {
    const dir = tempRepo({});
    const pinned = locatePinnedTool('kustomize', { FLUXGATE_TOOLS_DIR: dir })!;
    fakeTool(path.dirname(pinned.path), 'kustomize', `echo ${pinned.version}`);
    const chosen = await selectKustomize({ env: { FLUXGATE_TOOLS_DIR: dir, PATH: '' }, cwd: dir });
    expect(chosen).toMatchObject({
      file: pinned.path,
      from: 'pinned',
      version: pinned.version,
      prefix: ['build'],
    });
  });

  it('falls back to kustomize on PATH, then kubectl kustomize', async () => {
    const dir = tempRepo({});
    const bin = path.join(dir, 'bin');
    fakeTool(bin, 'kubectl', `echo '{"kustomizeVersion": "v5.6.0"}'`);
    const viaKubectl = await selectKustomize({ env: { FLUXGATE_TOOLS_DIR: dir, PATH: bin }, cwd: dir });
    expect(viaKubectl).toMatchObject({
      kind: 'kubectl',
      prefix: ['kustomize'],
      version: 'v5.6.0',
      from: 'kubectl',
    });
    // Said in the normal output: which kustomize, why, and that it is not Flux's.
    expect(viaKubectl.notice).toEqual({
      severity: 'warning',
      message: `kustomize v5.6.0 from kubectl (${bin}/kubectl kustomize), because ${platformPackageName(hostPlatform())} is not installed: Flux builds with kustomize v5.8.1, so what it applies may differ from what was checked`,
    });
    fakeTool(bin, 'kustomize', 'echo v5.8.1');
    const onPath = await selectKustomize({ env: { FLUXGATE_TOOLS_DIR: dir, PATH: bin }, cwd: dir });
    expect(onPath).toMatchObject({ kind: 'kustomize', version: 'v5.8.1', from: 'path' });
    // Flux's own version: a note, not a warning.
    expect(onPath.notice?.severity).toBe('info');
  });

  it("finds the platform package beside fluxgate, only at fluxgate's own version", () => {
    const dir = tempRepo({});
    const name = platformPackageName(hostPlatform());
    const pkg = path.join(dir, 'node_modules', name);
    fakeTool(path.join(pkg, 'bin'), 'kustomize-server', 'echo v5.8.1');
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name, version: '9.9.9' }));
    expect(findBundledTool('kustomize-server', dir, '9.9.9')).toEqual({
      found: { path: path.join(pkg, 'bin', 'kustomize-server'), packageName: name, packageVersion: '9.9.9' },
    });
    expect(findBundledTool('kustomize-server', dir, '1.0.0')).toEqual({
      missing: name,
      reason: 'version-mismatch',
    });
    expect(findBundledTool('kustomize-server', tempRepo({}), '9.9.9')).toEqual({
      missing: name,
      reason: 'not-installed',
    });
  });

  it('a missing or too old kustomize is a ToolError saying how to install one', async () => {
    const dir = tempRepo({});
    const none = selectKustomize({
      env: { FLUXGATE_TOOLS_DIR: dir, PATH: path.join(dir, 'nothing') },
      cwd: dir,
    });
    await expect(none).rejects.toThrow(ToolError);
    // A command that works in the user's repository, whatever else a clone of fluxgate offers.
    await expect(none).rejects.toThrow(
      `npm i -D ${platformPackageName(hostPlatform())}@${JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')).version}`,
    );
    const old = fakeTool(path.join(dir, 'old'), 'kustomize', 'echo "{Version:kustomize/v4.5.7}"');
    const tooOld = selectKustomize({ env: { PATH: '' }, cwd: dir, flag: old });
    await expect(tooOld).rejects.toThrow(new RegExp(`older than ${MIN_KUSTOMIZE_VERSION}`));
  });

  it('--kustomize-bin wins, and may name kubectl', async () => {
    const dir = tempRepo({});
    const kubectl = fakeTool(path.join(dir, 'k'), 'kubectl', `echo '{"kustomizeVersion": "v5.5.0"}'`);
    const chosen = await selectKustomize({ env: { PATH: '' }, cwd: dir, flag: kubectl, configBin: '/nope' });
    expect(chosen).toMatchObject({ file: kubectl, kind: 'kubectl', from: 'flag' });
  });

  it('the real kustomize of this machine is at least the minimum', async () => {
    const real = await testKustomize();
    expect(compareVersions(real.version, MIN_KUSTOMIZE_VERSION)).toBeGreaterThanOrEqual(0);
  });
});

describe('running kustomize', () => {
  it('kills the whole process group on timeout', async () => {
    const dir = tempRepo({});
    const marker = path.join(dir, 'grandchild-survived');
    // The child starts a grandchild that would write the marker after 1.5 s.
    const started = performance.now();
    const result = await runProcess('sh', ['-c', `(sleep 1.5; touch ${marker}) & sleep 30`], {
      timeoutMs: 300,
    });
    expect(result.timedOut).toBe(true);
    expect(performance.now() - started).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(existsSync(marker)).toBe(false);
  });

  it('an abort signal kills it too', async () => {
    const controller = new AbortController();
    const run = runProcess('sleep', ['30'], { timeoutMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect((await run).aborted).toBe(true);
  });

  it('a pool runs at most its size at once and keeps the order of results', async () => {
    const pool = new Pool(2);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      [30, 10, 20, 5].map((ms, i) =>
        pool.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, ms));
          running--;
          return i;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3]);
    expect(peak).toBe(2);
  });
});
