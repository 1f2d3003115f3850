import { commentBody } from './body.js';
import type { ApiRequest, Send } from './http.js';
import { type CommentApi, call } from './platform.js';

export interface PostResult {
  action: 'created' | 'updated';
  /** The request that wrote the comment (or, with dryRun, would have). */
  request: ApiRequest;
  /** What was updated: `comment 12`. */
  existing?: string;
  /** The body was cut to the platform's limit. */
  truncated: boolean;
  dryRun: boolean;
}

/**
 * Posts `body` as the pull request's comment marked `marker`, or updates the one already there, so
 * that every run of a pull request's build leaves one comment. `dryRun`: the comments are read (with
 * `lookup`) but nothing is written; without `lookup` a new comment is assumed.
 */
export async function postComment(
  api: CommentApi,
  send: Send,
  options: { body: string; marker: string; dryRun?: boolean; lookup?: boolean },
): Promise<PostResult> {
  const { text, truncated } = commentBody(options.body, options.marker, api.limit, api.title);
  const existing = options.lookup === false ? undefined : await api.find(send, options.marker);
  const request = existing ? api.update(existing, text) : api.create(text);
  const dryRun = options.dryRun === true;
  if (!dryRun) await call(send, api, request);
  return {
    action: existing ? 'updated' : 'created',
    request,
    ...(existing ? { existing: existing.label } : {}),
    truncated,
    dryRun,
  };
}
