import { type Dispatcher, EnvHttpProxyAgent, request } from 'undici';
import { ToolError } from '../../core/errors.js';

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  body?: unknown;
}

export interface ApiAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body; undefined when the answer is not JSON (a sign-in page). */
  json: unknown;
  /** The first characters of the body, for an error message. */
  text: string;
}

export type Send = (req: ApiRequest) => Promise<ApiAnswer>;

export interface SendOptions {
  headers: Record<string, string>;
  timeoutSeconds: number;
  /** Ctrl-C (src/cli/interrupt.ts). */
  signal: AbortSignal;
  /** HTTP(S)_PROXY and NO_PROXY, as a self-hosted agent behind a proxy sets them. */
  env: Readonly<Record<string, string | undefined>>;
}

function proxyAgent(env: SendOptions['env']): Dispatcher | undefined {
  const pick = (name: string) => env[name] || env[name.toLowerCase()] || undefined;
  const httpProxy = pick('HTTP_PROXY');
  const httpsProxy = pick('HTTPS_PROXY');
  if (!httpProxy && !httpsProxy) return undefined;
  const noProxy = pick('NO_PROXY');
  return new EnvHttpProxyAgent({
    ...(httpProxy ? { httpProxy } : {}),
    ...(httpsProxy ? { httpsProxy } : {}),
    ...(noProxy ? { noProxy } : {}),
  });
}

/** The error code of a failed connection (undici wraps node's in `cause`). */
function errorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : e?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A JSON request through undici, bounded by a timeout and abortable. A connection that fails, a
 * timeout or an interrupt is a ToolError with one line; an HTTP status is the caller's to explain.
 */
export function jsonSender(options: SendOptions): Send {
  const dispatcher = proxyAgent(options.env);
  const ms = Math.round(options.timeoutSeconds * 1000);
  return async (req) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = AbortSignal.any([options.signal, timeout]);
    const origin = new URL(req.url).origin;
    try {
      const answer = await request(req.url, {
        method: req.method,
        headers: {
          ...options.headers,
          ...(req.body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        },
        ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
        signal,
        headersTimeout: ms,
        bodyTimeout: ms,
        ...(dispatcher ? { dispatcher } : {}),
      });
      const text = await answer.body.text();
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: answer.statusCode, headers: answer.headers, json, text: text.slice(0, 300) };
    } catch (error) {
      if (options.signal.aborted) throw new ToolError('interrupted', { cause: error });
      const code = errorCode(error);
      if (timeout.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
        throw new ToolError(
          `${req.method} ${origin}: no answer within ${options.timeoutSeconds} s (--timeout)`,
          { cause: error },
        );
      const reason = code ?? (error instanceof Error ? error.message : String(error));
      throw new ToolError(`cannot reach ${origin} (${reason})`, { cause: error });
    }
  };
}
