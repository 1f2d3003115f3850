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
 * Azure Repos pull-request threads, REST API 7.1:
 * https://learn.microsoft.com/en-us/rest/api/azure/devops/git/pull-request-threads
 * https://learn.microsoft.com/en-us/rest/api/azure/devops/git/pull-request-thread-comments/update
 * Variables: https://learn.microsoft.com/en-us/azure/devops/pipelines/build/variables
 */
const API_VERSION = 'api-version=7.1';

/**
 * Undocumented, but the API refuses more: "A discussion comment cannot be longer than 150000
 * characters. Parameter name: comment.Content" (as reported in runatlantis/atlantis#1585).
 */
export const AZURE_DEVOPS_LIMIT = 150_000;

const TOKEN_HINT =
  "map the job's token in the step: env: SYSTEM_ACCESSTOKEN: $(System.AccessToken) (see docs/ci/azure-pipelines.yml)";

interface Comment {
  id?: number;
  parentCommentId?: number;
  content?: string;
  isDeleted?: boolean;
}
interface Thread {
  id?: number;
  isDeleted?: boolean;
  comments?: Comment[];
}

/** The organisation in https://dev.azure.com/ORG/ or https://ORG.visualstudio.com/. */
function organisation(collection: string): string {
  const url = new URL(collection);
  const host = /^([^.]+)\.visualstudio\.com$/.exec(url.hostname)?.[1];
  return host ?? url.pathname.split('/').find((p) => p !== '') ?? url.hostname;
}

function required(env: Readonly<Record<string, string | undefined>>, name: string, what: string): string {
  const value = env[name];
  if (!value)
    throw new UsageError(
      `${name} is not set (${what}): Azure Pipelines sets it in a pull-request build; outside one, set it yourself`,
    );
  return value;
}

/** The pull request of an Azure Pipelines build, from its predefined variables. */
export function azureDevOpsTarget(
  env: Readonly<Record<string, string | undefined>>,
  options: TargetOptions,
): CommentTarget {
  const pr = options.pr ?? env.SYSTEM_PULLREQUEST_PULLREQUESTID;
  if (!pr)
    return {
      pullRequest: false,
      note: `not a pull-request build (SYSTEM_PULLREQUEST_PULLREQUESTID is not set${env.BUILD_REASON ? `; Build.Reason is ${env.BUILD_REASON}` : ''}): no comment posted`,
    };
  const provider = env.BUILD_REPOSITORY_PROVIDER;
  if (provider && provider !== 'TfsGit')
    throw new UsageError(
      `the repository is not in Azure Repos (BUILD_REPOSITORY_PROVIDER is ${provider}): fluxgate comment --platform azure-devops comments on Azure Repos pull requests`,
    );
  const collection = required(env, 'SYSTEM_COLLECTIONURI', 'the organisation URL').replace(/\/?$/, '/');
  const project =
    env.SYSTEM_TEAMPROJECTID || required(env, 'SYSTEM_TEAMPROJECT', 'the project, or SYSTEM_TEAMPROJECTID');
  const repository = required(env, 'BUILD_REPOSITORY_ID', 'the repository');
  const token = env.SYSTEM_ACCESSTOKEN;
  // An unmapped macro reaches the script as its own text.
  const usable = token && !token.startsWith('$(') ? token : undefined;
  const projectName = env.SYSTEM_TEAMPROJECT ?? '<Project>';
  const repoName = env.BUILD_REPOSITORY_NAME ?? repository;
  const threads = `${collection}${encodeURIComponent(project)}/_apis/git/repositories/${encodeURIComponent(repository)}/pullRequests/${encodeURIComponent(pr)}/threads`;
  const permission = `the build service identity ("${projectName} Build Service (${organisation(collection)})") needs "Contribute to pull requests" on the repository (Project settings > Repositories > ${repoName} > Security)`;
  const api: CommentApi = {
    title: 'Azure DevOps',
    limit: AZURE_DEVOPS_LIMIT,
    pullRequest: `pull request ${pr} of ${repoName}`,
    headers: {
      authorization: `Bearer ${usable ?? ''}`,
      accept: 'application/json',
      'user-agent': `fluxgate/${options.version}`,
    },
    async find(send: Send, marker: string): Promise<Existing | undefined> {
      const req: ApiRequest = { method: 'GET', url: `${threads}?${API_VERSION}` };
      const answer = await call(send, api, req);
      const list = (answer.json as { value?: Thread[] }).value ?? [];
      for (const thread of list) {
        if (thread.isDeleted || thread.id === undefined) continue;
        // The thread's first comment: the one it was opened with.
        const first = [...(thread.comments ?? [])].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))[0];
        if (!first || first.isDeleted || first.id === undefined || !first.content?.includes(marker)) continue;
        return {
          url: `${threads}/${thread.id}/comments/${first.id}?${API_VERSION}`,
          label: `thread ${thread.id}`,
        };
      }
      return undefined;
    },
    update: (existing, content) => ({ method: 'PATCH', url: existing.url, body: { content } }),
    // commentType 1: text; status 1: active.
    create: (content) => ({
      method: 'POST',
      url: `${threads}?${API_VERSION}`,
      body: { comments: [{ parentCommentId: 0, content, commentType: 1 }], status: 1 },
    }),
    explain(req: ApiRequest, answer: ApiAnswer): string {
      const what = `${req.method} ${pathOf(req.url)}`;
      const said = serverMessage(answer);
      if (answer.status === 401)
        return `Azure DevOps refused the token (401 on ${what})${said}: ${TOKEN_HINT}`;
      if (answer.status === 403)
        return `Azure DevOps answered 403 Forbidden to ${what}${said}: ${permission}`;
      if (answer.status === 404)
        return `Azure DevOps answered 404 Not Found to ${what}${said}: no pull request ${pr} in repository ${repoName} of project ${projectName} at ${collection} (or the build service identity cannot read the repository)`;
      if (answer.status === 203 || (answer.status >= 300 && answer.status < 400) || answer.json === undefined)
        return `Azure DevOps answered ${answer.status} to ${what} without JSON (a sign-in page: the token was not accepted): ${TOKEN_HINT}`;
      return `Azure DevOps answered ${answer.status} to ${what}${said}`;
    },
  };
  return {
    pullRequest: true,
    api,
    token: usable,
    missingToken: `SYSTEM_ACCESSTOKEN is not set: ${TOKEN_HINT}`,
  };
}
