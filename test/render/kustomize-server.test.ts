import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { globby } from 'globby';
import { afterAll, describe, expect, it } from 'vitest';
import { BuildServer } from '../../src/render/kustomize/build-server.js';
import { locateLocalTool } from '../../src/tools/locate-tool.js';
import { pinnedTool } from '../helpers/tools.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

function serverBinary(): string {
  const tool = locateLocalTool('kustomize-server', process.env);
  if (!tool?.installed)
    throw new Error('kustomize-server is not installed: run `npm run tools` (npm test does)');
  return tool.path;
}

/** What the kustomize CLI prints for one build: the YAML, or its error line without "Error: ". */
async function cliBuild(dir: string): Promise<{ yaml?: string; error?: string }> {
  try {
    const { stdout } = await run(
      pinnedTool('kustomize'),
      ['build', dir, '--load-restrictor', 'LoadRestrictionsNone'],
      {
        maxBuffer: 1 << 26,
      },
    );
    return { yaml: stdout };
  } catch (error) {
    const stderr = (error as { stderr: string }).stderr;
    return { error: /^Error: (.*)$/m.exec(stderr)?.[1] ?? stderr };
  }
}

describe('kustomize-server (the pinned kustomize API in one process)', () => {
  const server = new BuildServer(serverBinary(), process.env);
  afterAll(() => server.close());

  it('builds every kustomization of the fixtures and examples exactly as the kustomize CLI', async () => {
    const files = await globby(['test/fixtures/**/kustomization.yaml', 'examples/**/kustomization.yaml'], {
      cwd: ROOT,
    });
    expect(files.length).toBeGreaterThan(30);
    let failures = 0;
    for (const file of files) {
      const dir = path.join(ROOT, path.dirname(file));
      const cli = await cliBuild(dir);
      const result = await server.build(dir, { timeoutMs: 30_000 });
      if (cli.error !== undefined) {
        failures++;
        expect(result.code, file).toBe(1);
        expect(result.stderr, file).toBe(`Error: ${cli.error}\n`);
      } else {
        expect(result.code, file).toBe(0);
        expect(result.stdout, file).toBe(cli.yaml);
      }
    }
    // The fixtures include broken kustomizations: their errors must read the same too.
    expect(failures).toBeGreaterThan(0);
  });

  it('a server that dies is replaced, and the build in flight fails with a clear message', async () => {
    const dir = path.join(ROOT, 'examples/aks-fleet/apps/dev');
    expect((await server.build(dir, { timeoutMs: 30_000 })).code).toBe(0);
    const died = new BuildServer('/bin/false', process.env);
    const result = await died.build(dir, { timeoutMs: 30_000 });
    died.close();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('kustomize build server stopped');
  });

  it('Ctrl-C (abort) and timeouts answer at once and never leave the request hanging', async () => {
    const dir = path.join(ROOT, 'examples/aks-fleet/apps/dev');
    const controller = new AbortController();
    controller.abort();
    expect(await server.build(dir, { timeoutMs: 30_000, signal: controller.signal })).toMatchObject({
      aborted: true,
    });
    const slow = await server.build(dir, { timeoutMs: 0 });
    expect(slow.timedOut).toBe(true);
    // And the next build starts a fresh process.
    expect((await server.build(dir, { timeoutMs: 30_000 })).code).toBe(0);
  });
});
