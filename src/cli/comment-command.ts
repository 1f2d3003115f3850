import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../core/errors.js';
import { fluxgateVersion } from '../core/package-files.js';
import type { SecretSet } from '../core/secret-set.js';
import { decodeText } from '../load/read-text.js';
import { azureDevOpsTarget } from '../report/comment/azure-devops.js';
import { COMMENT_ID, commentMarker } from '../report/comment/body.js';
import { githubTarget } from '../report/comment/github.js';
import { jsonSender } from '../report/comment/http.js';
import { PLATFORMS, type PlatformName } from '../report/comment/platform.js';
import { postComment } from '../report/comment/post-comment.js';
import { COMMENT_HELP } from './help.js';
import { withInterrupts } from './interrupt.js';
import type { CliIo } from './io.js';

const COMMENT_OPTIONS = {
  platform: { type: 'string' },
  id: { type: 'string' },
  pr: { type: 'string' },
  'dry-run': { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

const DEFAULT_TIMEOUT_SECONDS = 30;

function parse(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: COMMENT_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')}\nRun 'fluxgate comment --help' for usage.`,
    );
  }
}

/** The CI system the command runs in, from the variable each sets on every job. */
function detectPlatform(env: CliIo['env']): PlatformName {
  if (env.TF_BUILD?.toLowerCase() === 'true') return 'azure-devops';
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  throw new UsageError(
    'comment: not in Azure Pipelines (TF_BUILD) or GitHub Actions (GITHUB_ACTIONS): name the platform with --platform azure-devops|github',
  );
}

async function readBody(io: CliIo, file: string): Promise<string> {
  let text: string;
  if (file === '-') {
    if (!io.stdin) throw new UsageError('comment -: no standard input');
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    text = decodeText(Buffer.concat(chunks));
  } else {
    try {
      text = decodeText(readFileSync(path.resolve(io.cwd, file)));
    } catch (error) {
      throw new UsageError(`comment: cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
  }
  if (text.trim() === '')
    throw new UsageError(`comment: ${file === '-' ? 'standard input' : file} is empty: nothing to post`);
  return text;
}

/**
 * `fluxgate comment FILE`: one pull-request comment per marker, posted on the first run and
 * updated on every later one, through the platform's REST API with the job's own token.
 * Exit 0 posted, updated or not a pull request; 2 anything else (a missing token or permission).
 */
export async function runComment(io: CliIo, args: readonly string[], secrets: SecretSet): Promise<number> {
  const { values, positionals } = parse(args);
  if (values.help) {
    io.stdout.write(COMMENT_HELP);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0)
    throw new UsageError(
      `comment takes one FILE (the markdown to post, - for standard input)\nRun 'fluxgate comment --help' for usage.`,
    );
  const platform = values.platform ?? detectPlatform(io.env);
  if (!(PLATFORMS as readonly string[]).includes(platform))
    throw new UsageError(`--platform ${platform}: expected ${PLATFORMS.join(' or ')}`);
  if (values.id !== undefined && !COMMENT_ID.test(values.id))
    throw new UsageError(`--id ${values.id}: expected letters, digits, '.', '_' or '-' (at most 64)`);
  if (values.pr !== undefined && !/^[1-9]\d{0,9}$/.test(values.pr))
    throw new UsageError(`--pr ${values.pr}: expected a pull request number`);
  const timeoutSeconds = values.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    throw new UsageError(`--timeout ${values.timeout}: expected a number of seconds greater than 0`);
  const dryRun = values['dry-run'] === true;

  const options = { ...(values.pr ? { pr: values.pr } : {}), version: fluxgateVersion() };
  const target = platform === 'github' ? githubTarget(io.env, options) : azureDevOpsTarget(io.env, options);
  if (!target.pullRequest) {
    io.stdout.write(`${target.note}\n`);
    return 0;
  }
  // The token is in a header only; should a message or an answer quote it, it is scrubbed.
  if (target.token) secrets.add(target.token);
  else if (!dryRun) throw new UsageError(target.missingToken);
  const body = await readBody(io, file);
  const marker = commentMarker(values.id);
  const result = await withInterrupts(
    (signal) =>
      postComment(
        target.api,
        jsonSender({ headers: target.api.headers, timeoutSeconds, signal, env: io.env }),
        { body, marker, dryRun, lookup: target.token !== undefined },
      ),
    io.signal,
  );
  const cut = result.truncated
    ? ` (cut to ${target.api.title}'s ${target.api.limit.toLocaleString('en-US')} characters)`
    : '';
  const where = target.api.pullRequest;
  let out: string;
  if (result.dryRun) {
    const assumed = target.token ? '' : ` (no token: the existing comments were not read)`;
    out = `dry run, nothing sent: would ${result.action === 'updated' ? `update ${result.existing}` : 'post a new comment'} on ${where}${cut}${assumed}\n${result.request.method} ${result.request.url}\n${JSON.stringify(result.request.body, null, 2)}\n`;
  } else if (result.action === 'updated') out = `updated ${result.existing} on ${where}${cut}\n`;
  else out = `posted a comment on ${where}${cut}\n`;
  io.stdout.write(secrets.scrub(out));
  return 0;
}
