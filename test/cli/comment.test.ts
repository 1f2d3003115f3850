import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const TOKEN = 'ghs_0123456789abcdefTOKEN';

interface Seen {
  method: string;
  url: string;
  body: unknown;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A stand-in API: `answer` per request (undefined: never answer). */
async function api(
  answer: (req: Seen) => { status: number; body?: string; type?: string } | undefined,
): Promise<{ origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const r = { method: req.method ?? '', url: req.url ?? '', body: text ? JSON.parse(text) : undefined };
      seen.push(r);
      const a = answer(r);
      if (!a) return;
      res.writeHead(a.status, { 'content-type': a.type ?? 'application/json' });
      res.end(a.body ?? '');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function github(origin: string, extra: Record<string, string> = {}) {
  return {
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: origin,
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_TOKEN: TOKEN,
    ...extra,
  };
}

function azure(origin: string, extra: Record<string, string> = {}) {
  return {
    TF_BUILD: 'True',
    SYSTEM_COLLECTIONURI: `${origin}/org/`,
    SYSTEM_TEAMPROJECT: 'Fleet',
    BUILD_REPOSITORY_ID: 'repo',
    SYSTEM_PULLREQUEST_PULLREQUESTID: '3',
    SYSTEM_ACCESSTOKEN: TOKEN,
    ...extra,
  };
}

function bodyFile(text = '### fluxgate diff\n'): { dir: string; file: string } {
  const dir = tempRepo({ 'diff.md': text });
  return { dir, file: path.join(dir, 'diff.md') };
}

describe('fluxgate comment', () => {
  it.each([
    [[], {}, /comment takes one FILE/],
    [['a.md', 'b.md'], {}, /comment takes one FILE/],
    [['a.md'], {}, /not in Azure Pipelines \(TF_BUILD\) or GitHub Actions \(GITHUB_ACTIONS\)/],
    [['--platform', 'gitlab', 'a.md'], {}, /--platform gitlab: expected azure-devops or github/],
    [['--id', 'a b', 'a.md'], { GITHUB_ACTIONS: 'true' }, /--id a b: expected letters/],
    [['--pr', 'x', 'a.md'], { GITHUB_ACTIONS: 'true' }, /--pr x: expected a pull request number/],
    [['--timeout', '0', 'a.md'], { GITHUB_ACTIONS: 'true' }, /--timeout 0: expected/],
  ])('%j is a usage error (exit 2)', async (args, env, message) => {
    const run = await runCli(['comment', ...args], { cwd: process.cwd(), env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('Azure DevOps: an unmapped $(System.AccessToken) is a missing token; a GitHub repository is said', async () => {
    const { dir, file } = bodyFile();
    const unmapped = await runCli(['comment', file], {
      cwd: dir,
      env: azure('http://127.0.0.1:9', { SYSTEM_ACCESSTOKEN: '$(System.AccessToken)' }),
    });
    expect(unmapped.code).toBe(2);
    expect(unmapped.stderr).toContain('SYSTEM_ACCESSTOKEN is not set');
    const onGithub = await runCli(['comment', file], {
      cwd: dir,
      env: azure('http://127.0.0.1:9', { BUILD_REPOSITORY_PROVIDER: 'GitHub' }),
    });
    expect(onGithub.code).toBe(2);
    expect(onGithub.stderr).toContain('not in Azure Repos (BUILD_REPOSITORY_PROVIDER is GitHub)');
  });

  it('Azure DevOps: 401 and a sign-in page say how to map the token; 404 says what was not found', async () => {
    const { dir, file } = bodyFile();
    for (const [status, body, type, message] of [
      [
        401,
        '',
        'application/json',
        /refused the token \(401 .*SYSTEM_ACCESSTOKEN: \$\(System\.AccessToken\)/,
      ],
      [203, '<html>Sign in</html>', 'text/html', /answered 203 .*without JSON \(a sign-in page/],
      [
        404,
        '{"message":"TF401180: not found"}',
        'application/json',
        /404 Not Found .*\(TF401180: not found\): no pull request 3 in repository repo of project Fleet/,
      ],
    ] as const) {
      const { origin } = await api(() => ({ status, body, type }));
      const run = await runCli(['comment', file], { cwd: dir, env: azure(origin) });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toContain(TOKEN);
    }
  });

  it('an API that does not answer: exit 2 after --timeout', async () => {
    const { dir, file } = bodyFile();
    const { origin } = await api(() => undefined);
    const run = await runCli(['comment', '--timeout', '0.5', '--pr', '5', file], {
      cwd: dir,
      env: github(origin),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`fluxgate: GET ${origin}: no answer within 0.5 s (--timeout)\n`);
  });

  it('Ctrl-C (the run aborted) stops a request that hangs: exit 2, interrupted', async () => {
    const { dir, file } = bodyFile();
    const { origin, seen } = await api(() => undefined);
    const controller = new AbortController();
    let stderr = '';
    const run = main({
      argv: ['comment', '--pr', '5', file],
      cwd: dir,
      env: github(origin),
      signal: controller.signal,
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
    });
    while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    expect(await run).toBe(2);
    expect(stderr).toBe('fluxgate: interrupted\n');
  });

  it("reads standard input, cuts a body over GitHub's limit and says so", async () => {
    const { origin, seen } = await api((r) =>
      r.method === 'GET' ? { status: 200, body: '[]' } : { status: 201, body: '{"id":1}' },
    );
    let stdout = '';
    const code = await main({
      argv: ['comment', '--pr', '8', '-'],
      cwd: process.cwd(),
      env: github(origin),
      stdin: Readable.from([Buffer.from(`### big\n${'line of diff\n'.repeat(6000)}`)]),
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
    });
    expect(code).toBe(0);
    expect(stdout).toBe("posted a comment on pull request #8 of o/r (cut to GitHub's 65,536 characters)\n");
    const posted = (seen[1]!.body as { body: string }).body;
    expect(posted.length).toBeLessThanOrEqual(65_536);
    expect(posted).toMatch(/^<!-- fluxgate -->\n### big\n/);
    expect(posted).toContain("over GitHub's limit of 65,536");
  });

  it('--id NAME keeps a comment of its own beside the default one', async () => {
    const { dir, file } = bodyFile();
    const { origin, seen } = await api((r) =>
      r.method === 'GET'
        ? { status: 200, body: JSON.stringify([{ id: 4, body: '<!-- fluxgate -->\nthe diff' }]) }
        : { status: 201, body: '{"id":5}' },
    );
    const run = await runCli(['comment', '--id', 'policies', '--pr', '2', file], {
      cwd: dir,
      env: github(origin),
    });
    expect(run.code).toBe(0);
    expect(seen.map((s) => s.method)).toEqual(['GET', 'POST']);
    expect(seen[1]!.body).toEqual({ body: '<!-- fluxgate:policies -->\n### fluxgate diff\n' });
  });

  it('an empty body is an error, not an empty comment', async () => {
    const { dir, file } = bodyFile('\n');
    const run = await runCli(['comment', '--pr', '2', file], { cwd: dir, env: github('http://127.0.0.1:9') });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is empty: nothing to post');
  });

  it('--help and help comment document the variables and the permissions', async () => {
    for (const argv of [
      ['comment', '--help'],
      ['help', 'comment'],
    ]) {
      const run = await runCli(argv, { cwd: process.cwd() });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: fluxgate comment \[options\] FILE/);
      expect(run.stdout).toContain('SYSTEM_ACCESSTOKEN: $(System.AccessToken)');
      expect(run.stdout).toContain('Contribute to');
      expect(run.stdout).toContain('permissions: pull-requests: write');
    }
    expect((await runCli(['--help'], { cwd: process.cwd() })).stdout).toContain('  comment FILE ');
  });
});
