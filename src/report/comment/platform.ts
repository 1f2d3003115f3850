import { ToolError } from '../../core/errors.js';
import type { ApiAnswer, ApiRequest, Send } from './http.js';

export const PLATFORMS = ['azure-devops', 'github'] as const;
export type PlatformName = (typeof PLATFORMS)[number];

/** The comment found by its marker: where to send its new content. */
export interface Existing {
  url: string;
  /** How messages name it: `comment 12`, `thread 7`. */
  label: string;
}

/** One platform's comment API for one pull request. */
export interface CommentApi {
  /** For messages: Azure DevOps, GitHub. */
  title: string;
  /** The longest comment the platform accepts, in characters. */
  limit: number;
  /** For messages: `pull request 17 of fleet-repo`. */
  pullRequest: string;
  /** The headers of every request, the token among them. */
  headers: Record<string, string>;
  find(send: Send, marker: string): Promise<Existing | undefined>;
  update(existing: Existing, content: string): ApiRequest;
  create(content: string): ApiRequest;
  /** One line for an answer that is not a success: what went wrong and what to set or grant. */
  explain(req: ApiRequest, answer: ApiAnswer): string;
}

/** What the environment says: a pull request to comment on (and with which token), or not. */
export type CommentTarget =
  | {
      pullRequest: true;
      api: CommentApi;
      token: string | undefined;
      /** Why there is no token, naming the variable to set (when `token` is undefined). */
      missingToken: string;
    }
  | { pullRequest: false; note: string };

export interface TargetOptions {
  /** `--pr N`: the pull request, instead of the one the environment names. */
  pr?: string;
  version: string;
}

/** The answer's own message (Azure DevOps and GitHub both send `{ message }`), cut short. */
export function serverMessage(answer: ApiAnswer): string {
  const message = (answer.json as { message?: unknown } | undefined)?.message;
  const text = typeof message === 'string' ? message : '';
  return text ? ` (${text.length > 200 ? `${text.slice(0, 200)}...` : text})` : '';
}

/** A status and a body that is JSON: anything else is said by `explain`. */
export function succeeded(answer: ApiAnswer): boolean {
  return answer.status >= 200 && answer.status < 300 && answer.status !== 203 && answer.json !== undefined;
}

export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname;
}

/** `req` sent; an answer that is not a success is a ToolError saying what to fix. */
export async function call(send: Send, api: CommentApi, req: ApiRequest): Promise<ApiAnswer> {
  const answer = await send(req);
  if (!succeeded(answer)) throw new ToolError(api.explain(req, answer));
  return answer;
}
