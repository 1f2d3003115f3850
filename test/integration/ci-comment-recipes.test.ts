import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { git } from '../helpers/git-repo.js';
import { type CliRun, runCli } from '../helpers/run-cli.js';

const PROJECT = path.resolve(import.meta.dirname, '../..');
const TOKEN = 'tok-7c1e5f0a9b3d4e2f8a6c';
const MARKER = '<!-- fluxgate -->';

interface Step {
  script?: string;
  run?: string;
  env?: Record<string, string>;
}

/** The diff and comment steps of a documented pipeline, exactly as written there. */
function reviewSteps(file: string): { diff: Step; comment: Step } {
  const doc = parse(readFileSync(path.join(PROJECT, file), 'utf8')) as {
    steps?: Step[];
    jobs?: Record<string, { steps: Step[] }>;
  };
  const steps = [...(doc.steps ?? []), ...Object.values(doc.jobs ?? {}).flatMap((j) => j.steps)];
  const line = (s: Step) => s.script ?? s.run ?? '';
  const diff = steps.filter((s) => line(s).includes('fluxgate diff'));
  const comment = steps.filter((s) => line(s).includes('fluxgate comment'));
  expect(diff).toHaveLength(1);
  expect(comment).toHaveLength(1);
  return { diff: diff[0]!, comment: comment[0]! };
}

function substitute(text: string, vars: Record<string, string>): string {
  let out = text;
  for (const [name, value] of Object.entries(vars)) out = out.replaceAll(name, value);
  return out;
}

/**
 * Runs one step's command line as its shell would, for the few forms the recipes use: `> FILE`
 * (stdout to FILE) and `|| test $? -eq 1` (exit 1 is success). Anything else fails the test, so a
 * recipe cannot grow shell this runner does not understand.
 */
async function runStep(
  step: Step,
  vars: Record<string, string>,
  cwd: string,
  env: Record<string, string>,
): Promise<CliRun> {
  let line = substitute((step.script ?? step.run ?? '').trim(), vars);
  const stepEnv = Object.fromEntries(
    Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(v, vars)]),
  );
  let okOnOne = false;
  if (line.endsWith(' || test $? -eq 1')) {
    okOnOne = true;
    line = line.slice(0, -' || test $? -eq 1'.length);
  }
  let outFile: string | undefined;
  const redirect = /\s>\s*(\S+)$/.exec(line);
  if (redirect) {
    outFile = redirect[1];
    line = line.slice(0, redirect.index);
  }
  expect(line, 'recipe shell this test runner does not understand').not.toMatch(/[|&;<>$`"'\\]/);
  expect(line.startsWith('npx fluxgate ')).toBe(true);
  const run = await runCli(line.slice('npx fluxgate '.length).split(/\s+/), {
    cwd,
    env: { ...env, ...stepEnv },
  });
  // The token is never printed, whatever happens.
  expect(run.stdout + run.stderr).not.toContain(TOKEN);
  if (outFile) writeFileSync(outFile, run.stdout);
  return { ...run, code: okOnOne && run.code === 1 ? 0 : run.code };
}

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A stand-in for the platform's API on 127.0.0.1: records every request, answers with `handle`. */
async function apiServer(
  handle: (
    req: Recorded,
    origin: string,
  ) => { status: number; json?: unknown; headers?: Record<string, string> },
): Promise<{ origin: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      };
      requests.push(recorded);
      const answer = handle(recorded, origin);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.json === undefined ? '' : JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * A pull request's checkout: the example fleet on main (also as origin/main, as CI fetches it),
 * and a branch that moves prod-aks to podinfo 6.7.2.
 */
function pullRequestCheckout(): string {
  const root = tempDir('fluxgate-pr-');
  cpSync(path.join(PROJECT, 'examples/aks-fleet'), root, { recursive: true });
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'fleet');
  git(root, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
  git(root, 'checkout', '-q', '-b', 'prod-podinfo');
  const overlay = path.join(root, 'apps/prod/kustomization.yaml');
  const text = readFileSync(overlay, 'utf8');
  expect(text).toContain('newTag: 6.7.1');
  writeFileSync(overlay, text.replace('newTag: 6.7.1', 'newTag: 6.7.2'));
  git(root, 'commit', '-qam', 'prod: podinfo 6.7.2');
  return root;
}

const noStack = (run: CliRun) => expect(run.stderr).not.toMatch(/\n\s+at /);

describe('Azure Pipelines: the pull-request comment recipe runs as written', () => {
  const steps = reviewSteps('docs/ci/azure-pipelines.yml');
  const agentTemp = tempDir('agent-temp-');
  const workspace = tempDir('pipeline-workspace-');
  const vars = {
    '$(Agent.TempDirectory)': agentTemp,
    '$(Pipeline.Workspace)': workspace,
    '$(System.PullRequest.targetBranchName)': 'main',
    '$(System.AccessToken)': TOKEN,
  };
  let repo = '';
  let markdown = '';
  interface Thread {
    id: number;
    status: string;
    comments: { id: number; parentCommentId: number; content: string; commentType: string }[];
  }
  let threads: Thread[] = [];
  let deny = false;
  let api: Awaited<ReturnType<typeof apiServer>>;
  const threadsPath =
    '/fleet-org/6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c/_apis/git/repositories/e2b2b5a2-0f4b-4c8a-9a38-3a5b3d0c1f11/pullRequests/17/threads';

  const env = (origin: string, extra: Record<string, string> = {}) => ({
    TF_BUILD: 'True',
    BUILD_REASON: 'PullRequest',
    SYSTEM_COLLECTIONURI: `${origin}/fleet-org/`,
    SYSTEM_TEAMPROJECT: 'Fleet',
    SYSTEM_TEAMPROJECTID: '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c',
    BUILD_REPOSITORY_ID: 'e2b2b5a2-0f4b-4c8a-9a38-3a5b3d0c1f11',
    BUILD_REPOSITORY_NAME: 'fleet',
    BUILD_REPOSITORY_PROVIDER: 'TfsGit',
    SYSTEM_PULLREQUEST_PULLREQUESTID: '17',
    SYSTEM_PULLREQUEST_TARGETBRANCH: 'refs/heads/main',
    ...extra,
  });

  beforeAll(async () => {
    api = await apiServer((req) => {
      const url = new URL(req.url, 'http://x');
      if (deny)
        return { status: 403, json: { message: `TF401027: token ${TOKEN} needs PullRequestContribute` } };
      if (url.searchParams.get('api-version') !== '7.1')
        return { status: 400, json: { message: 'api-version' } };
      if (req.method === 'GET' && url.pathname === threadsPath)
        return { status: 200, json: { value: threads, count: threads.length } };
      if (req.method === 'POST' && url.pathname === threadsPath) {
        const body = req.body as { comments: { content: string }[] };
        const thread = {
          id: 40 + threads.length,
          status: 'active',
          comments: [{ id: 1, parentCommentId: 0, content: body.comments[0]!.content, commentType: 'text' }],
        };
        threads.push(thread);
        return { status: 200, json: thread };
      }
      const patch = new RegExp(`^${threadsPath}/(\\d+)/comments/(\\d+)$`).exec(url.pathname);
      if (req.method === 'PATCH' && patch) {
        const comment = threads
          .find((t) => t.id === Number(patch[1]))
          ?.comments.find((c) => c.id === Number(patch[2]));
        if (!comment) return { status: 404, json: { message: 'no such comment' } };
        comment.content = (req.body as { content: string }).content;
        return { status: 200, json: comment };
      }
      return { status: 404, json: { message: `no route ${req.method} ${url.pathname}` } };
    });
    repo = pullRequestCheckout();
    const diff = await runStep(steps.diff, vars, repo, env(api.origin));
    expect(diff.stderr).toBe('');
    expect(diff.code).toBe(0);
    markdown = readFileSync(path.join(agentTemp, 'fluxgate-diff.md'), 'utf8');
    expect(markdown).toContain('### fluxgate diff');
    expect(markdown).toContain('prod-aks');
  }, 300_000);
  afterAll(() => api.close());
  beforeEach(() => {
    api.requests.length = 0;
    deny = false;
    // Threads a pull request already has: a reviewer's, and a vote (a system comment).
    threads = [
      {
        id: 3,
        status: 'active',
        comments: [{ id: 1, parentCommentId: 0, content: 'Looks good', commentType: 'text' }],
      },
      {
        id: 5,
        status: 'active',
        comments: [{ id: 1, parentCommentId: 0, content: 'voted 10', commentType: 'system' }],
      },
    ];
  });

  it('the first run opens a thread with the diff; the next one updates that comment', async () => {
    const first = await runStep(steps.comment, vars, repo, env(api.origin));
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('posted a comment on pull request 17 of fleet\n');
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${threadsPath}?api-version=7.1`,
      `POST ${threadsPath}?api-version=7.1`,
    ]);
    for (const r of api.requests) {
      expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
    }
    const post = api.requests[1]!;
    expect(post.headers['content-type']).toMatch(/^application\/json/);
    const body = post.body as {
      comments: { parentCommentId: number; content: string; commentType: number }[];
      status: number;
    };
    expect(body.status).toBe(1);
    expect(body.comments).toHaveLength(1);
    expect(body.comments[0]!.parentCommentId).toBe(0);
    expect(body.comments[0]!.commentType).toBe(1);
    expect(body.comments[0]!.content).toBe(`${MARKER}\n${markdown}`);
    expect(body.comments[0]!.content).toContain('ghcr.io/stefanprodan/podinfo:6.7.2');

    api.requests.length = 0;
    const second = await runStep(steps.comment, vars, repo, env(api.origin));
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('updated thread 42 on pull request 17 of fleet\n');
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${threadsPath}?api-version=7.1`,
      `PATCH ${threadsPath}/42/comments/1?api-version=7.1`,
    ]);
    expect(api.requests[1]!.body).toEqual({ content: `${MARKER}\n${markdown}` });
    expect(threads).toHaveLength(3);
  });

  it('403: exit 2 naming the permission the build service needs; the token in the answer is scrubbed', async () => {
    deny = true;
    const run = await runStep(steps.comment, vars, repo, env(api.origin));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('403 Forbidden');
    expect(run.stderr).toContain(
      '"Fleet Build Service (fleet-org)") needs "Contribute to pull requests" on the repository',
    );
    expect(run.stderr).toContain('token <redacted> needs PullRequestContribute');
    noStack(run);
  });

  it('no token mapped: exit 2 saying how to map it, and nothing is sent', async () => {
    const run = await runCli(['comment', path.join(agentTemp, 'fluxgate-diff.md')], {
      cwd: repo,
      env: env(api.origin),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SYSTEM_ACCESSTOKEN is not set');
    expect(run.stderr).toContain('SYSTEM_ACCESSTOKEN: $(System.AccessToken)');
    expect(api.requests).toEqual([]);
  });

  it('an unreachable server: exit 2 with one line, no stack trace', async () => {
    const port = await closedPort();
    const run = await runStep(steps.comment, vars, repo, env(`http://127.0.0.1:${port}`));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`fluxgate: cannot reach http://127.0.0.1:${port} (ECONNREFUSED)\n`);
  });

  it('not a pull-request build: a note, exit 0, no request', async () => {
    const run = await runStep(
      steps.comment,
      vars,
      repo,
      env(api.origin, { SYSTEM_PULLREQUEST_PULLREQUESTID: '', BUILD_REASON: 'IndividualCI' }),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^not a pull-request build \(SYSTEM_PULLREQUEST_PULLREQUESTID is not set; .*\): no comment posted\n$/,
    );
    expect(api.requests).toEqual([]);
  });
});

describe('GitHub Actions: the pull-request comment recipe runs as written', () => {
  const steps = reviewSteps('docs/ci/github-actions.yml');
  const runnerTemp = tempDir('runner-temp-');
  const vars = {
    '${{ runner.temp }}': runnerTemp,
    '${{ github.base_ref }}': 'main',
    '${{ github.token }}': TOKEN,
  };
  const event = path.join(runnerTemp, 'event.json');
  writeFileSync(event, JSON.stringify({ action: 'synchronize', number: 42, pull_request: { number: 42 } }));
  let repo = '';
  let markdown = '';
  let comments: { id: number; body: string }[] = [];
  let deny = false;
  let api: Awaited<ReturnType<typeof apiServer>>;
  const repoPath = '/api/v3/repos/fleet-org/fleet';

  const env = (origin: string, extra: Record<string, string> = {}) => ({
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: `${origin}/api/v3`,
    GITHUB_REPOSITORY: 'fleet-org/fleet',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_BASE_REF: 'main',
    ...extra,
  });

  beforeAll(async () => {
    api = await apiServer((req, origin) => {
      const url = new URL(req.url, origin);
      if (deny) return { status: 403, json: { message: 'Resource not accessible by integration' } };
      if (req.method === 'GET' && url.pathname === `${repoPath}/issues/42/comments`) {
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const page = Number(url.searchParams.get('page') ?? 1);
        const pages = Math.max(1, Math.ceil(comments.length / perPage));
        const next = new URL(url);
        next.searchParams.set('page', String(page + 1));
        return {
          status: 200,
          json: comments.slice((page - 1) * perPage, page * perPage),
          headers:
            page < pages
              ? { link: `<${next.href}>; rel="next", <${origin}${url.pathname}?page=${pages}>; rel="last"` }
              : ({} as Record<string, string>),
        };
      }
      if (req.method === 'POST' && url.pathname === `${repoPath}/issues/42/comments`) {
        const comment = { id: 9000 + comments.length, body: (req.body as { body: string }).body };
        comments.push(comment);
        return { status: 201, json: comment };
      }
      const patch = new RegExp(`^${repoPath}/issues/comments/(\\d+)$`).exec(url.pathname);
      if (req.method === 'PATCH' && patch) {
        const comment = comments.find((c) => c.id === Number(patch[1]));
        if (!comment) return { status: 404, json: { message: 'Not Found' } };
        comment.body = (req.body as { body: string }).body;
        return { status: 200, json: comment };
      }
      return { status: 404, json: { message: 'Not Found' } };
    });
    repo = pullRequestCheckout();
    const diff = await runStep(steps.diff, vars, repo, env(api.origin));
    expect(diff.stderr).toBe('');
    expect(diff.code).toBe(0);
    markdown = readFileSync(path.join(runnerTemp, 'fluxgate-diff.md'), 'utf8');
    expect(markdown).toContain('prod-aks');
  }, 300_000);
  afterAll(() => api.close());
  beforeEach(() => {
    api.requests.length = 0;
    deny = false;
    comments = [{ id: 11, body: 'Please check the prod overlay' }];
  });

  it('the first run posts a comment with the diff; the next one updates it', async () => {
    const first = await runStep(steps.comment, vars, repo, env(api.origin));
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('posted a comment on pull request #42 of fleet-org/fleet\n');
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${repoPath}/issues/42/comments?per_page=100`,
      `POST ${repoPath}/issues/42/comments`,
    ]);
    for (const r of api.requests) {
      expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(r.headers.accept).toBe('application/vnd.github+json');
      expect(r.headers['x-github-api-version']).toBe('2022-11-28');
      expect(r.headers['user-agent']).toMatch(/^fluxgate\//);
    }
    expect(api.requests[1]!.body).toEqual({ body: `${MARKER}\n${markdown}` });
    expect(markdown).toContain('ghcr.io/stefanprodan/podinfo:6.7.2');

    api.requests.length = 0;
    const second = await runStep(steps.comment, vars, repo, env(api.origin));
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('updated comment 9001 on pull request #42 of fleet-org/fleet\n');
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${repoPath}/issues/42/comments?per_page=100`,
      `PATCH ${repoPath}/issues/comments/9001`,
    ]);
    expect(comments).toHaveLength(2);
  });

  it('finds its comment on the second page of comments', async () => {
    comments = Array.from({ length: 130 }, (_, i) => ({ id: 100 + i, body: `comment ${i}` }));
    comments[117] = { id: 217, body: `${MARKER}\nan older diff` };
    const run = await runStep(steps.comment, vars, repo, env(api.origin));
    expect(run.code).toBe(0);
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${repoPath}/issues/42/comments?per_page=100`,
      `GET ${repoPath}/issues/42/comments?per_page=100&page=2`,
      `PATCH ${repoPath}/issues/comments/217`,
    ]);
    expect(comments[117]!.body).toBe(`${MARKER}\n${markdown}`);
  });

  it('403: exit 2 naming the permission the workflow needs', async () => {
    deny = true;
    const run = await runStep(steps.comment, vars, repo, env(api.origin));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('403 Forbidden');
    expect(run.stderr).toContain('(Resource not accessible by integration)');
    expect(run.stderr).toContain('permissions: pull-requests: write');
    noStack(run);
  });

  it('no GITHUB_TOKEN: exit 2 saying how to pass it', async () => {
    const run = await runCli(['comment', path.join(runnerTemp, 'fluxgate-diff.md')], {
      cwd: repo,
      env: env(api.origin),
    });
    expect(run.code).toBe(2);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub's expression syntax
    expect(run.stderr).toContain('GITHUB_TOKEN is not set: set env: GITHUB_TOKEN: ${{ github.token }}');
    expect(api.requests).toEqual([]);
  });

  it('an unreachable API: exit 2 with one line, no stack trace', async () => {
    const port = await closedPort();
    const run = await runStep(steps.comment, vars, repo, env(`http://127.0.0.1:${port}`));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`fluxgate: cannot reach http://127.0.0.1:${port} (ECONNREFUSED)\n`);
  });

  it('a push, not a pull request: a note, exit 0, no request', async () => {
    const push = path.join(runnerTemp, 'push.json');
    writeFileSync(push, JSON.stringify({ ref: 'refs/heads/main' }));
    const run = await runStep(
      steps.comment,
      vars,
      repo,
      env(api.origin, { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: push }),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'not a pull request (the push event has no pull_request; --pr N names one): no comment posted\n',
    );
    expect(api.requests).toEqual([]);
  });

  it('--dry-run prints the request it would send, without the token, and sends none', async () => {
    const run = await runCli(['comment', '--dry-run', path.join(runnerTemp, 'fluxgate-diff.md')], {
      cwd: repo,
      env: { ...env(api.origin), GITHUB_TOKEN: TOKEN },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `POST ${api.origin}${repoPath}/issues/42/comments\n{\n  "body": "<!-- fluxgate -->\\n### fluxgate diff`,
    );
    expect(run.stdout).not.toContain(TOKEN);
    expect(api.requests.map((r) => r.method)).toEqual(['GET']);
  });
});
