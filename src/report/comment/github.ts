import { readFileSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import type { ApiAnswer, ApiRequest, Send } from './http.js';
import {
  type CommentApi,
  type CommentTarget,
  call,
  type Existing,
  pathOf,
  serverMessage,
  type TargetOptions,
} from './platform.js';

/*
 * GitHub's issue comments REST API (a pull request's conversation comments are issue comments):
 * https://docs.github.com/en/rest/issues/comments
 * Variables: https://docs.github.com/en/actions/reference/variables-reference
 */

/** GitHub refuses a comment body over 65,536 characters. */
export const GITHUB_LIMIT = 65_536;
/** Pages of 100 comments read at most while looking for the marker. */
const MAX_PAGES = 30;

// biome-ignore lint/suspicious/noTemplateCurlyInString: not a template, GitHub's expression syntax
const TOKEN_HINT = 'set env: GITHUB_TOKEN: ${{ github.token }} on the step (see docs/ci/github-actions.yml)';
const PERMISSION =
  "the workflow's token needs permissions: pull-requests: write (a pull request from a fork gets a read-only token)";

/** The pull request number of the event that started the workflow, if it is one. */
function eventPullRequest(file: string | undefined): number | undefined {
  if (!file) return undefined;
  let event: { pull_request?: { number?: unknown }; issue?: { number?: unknown; pull_request?: unknown } };
  try {
    event = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`GITHUB_EVENT_PATH ${file}: cannot read the event (${(error as Error).message})`, {
      cause: error,
    });
  }
  const n = event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined);
  return typeof n === 'number' ? n : undefined;
}

/** The next page's URL from a `Link` header (RFC 8288), as GitHub paginates. */
function nextLink(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header.join(', ') : header;
  return text ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(text)?.[1] : undefined;
}

/** The pull request of a GitHub Actions run, from its default variables and event. */
export function githubTarget(
  env: Readonly<Record<string, string | undefined>>,
  options: TargetOptions,
): CommentTarget {
  const pr = options.pr ?? eventPullRequest(env.GITHUB_EVENT_PATH)?.toString();
  if (!pr) {
    const why = env.GITHUB_EVENT_PATH
      ? `the ${env.GITHUB_EVENT_NAME || 'workflow'} event has no pull_request`
      : 'GITHUB_EVENT_PATH is not set';
    return { pullRequest: false, note: `not a pull request (${why}; --pr N names one): no comment posted` };
  }
  const repository = env.GITHUB_REPOSITORY;
  if (!repository || !/^[^/\s]+\/[^/\s]+$/.test(repository))
    throw new UsageError(
      `GITHUB_REPOSITORY is ${repository ? `"${repository}", not OWNER/REPO` : 'not set'}: GitHub Actions sets it; outside a workflow, set it yourself`,
    );
  const api = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  const origin = new URL(api).origin;
  const base = `${api}/repos/${repository}`;
  const token = env.GITHUB_TOKEN || undefined;
  const comments: CommentApi = {
    title: 'GitHub',
    limit: GITHUB_LIMIT,
    pullRequest: `pull request #${pr} of ${repository}`,
    headers: {
      authorization: `Bearer ${token ?? ''}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': `fluxgate/${options.version}`,
    },
    async find(send: Send, marker: string): Promise<Existing | undefined> {
      let url: string | undefined = `${base}/issues/${encodeURIComponent(pr)}/comments?per_page=100`;
      for (let page = 0; url && page < MAX_PAGES; page++) {
        const answer = await call(send, comments, { method: 'GET', url });
        const list = Array.isArray(answer.json) ? (answer.json as { id?: number; body?: string }[]) : [];
        const found = list.find((c) => typeof c.id === 'number' && c.body?.includes(marker));
        if (found) return { url: `${base}/issues/comments/${found.id}`, label: `comment ${found.id}` };
        url = nextLink(answer.headers.link);
        // The token goes only to the API it was given for.
        if (url && new URL(url).origin !== origin) url = undefined;
      }
      return undefined;
    },
    update: (existing, content) => ({ method: 'PATCH', url: existing.url, body: { body: content } }),
    create: (content) => ({
      method: 'POST',
      url: `${base}/issues/${encodeURIComponent(pr)}/comments`,
      body: { body: content },
    }),
    explain(req: ApiRequest, answer: ApiAnswer): string {
      const what = `${req.method} ${pathOf(req.url)}`;
      const said = serverMessage(answer);
      if (answer.status === 401) return `GitHub refused the token (401 on ${what})${said}: ${TOKEN_HINT}`;
      if (answer.status === 403) return `GitHub answered 403 Forbidden to ${what}${said}: ${PERMISSION}`;
      if (answer.status === 404)
        return `GitHub answered 404 Not Found to ${what}${said}: no pull request #${pr} in ${repository} at ${api} (or the token cannot see the repository)`;
      if (answer.json === undefined) return `GitHub answered ${answer.status} to ${what} without JSON`;
      return `GitHub answered ${answer.status} to ${what}${said}`;
    },
  };
  return { pullRequest: true, api: comments, token, missingToken: `GITHUB_TOKEN is not set: ${TOKEN_HINT}` };
}
