import { readFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { ToolError } from '../core/errors.js';
import type { SecretSet } from '../core/secret-set.js';
import { kubeconfigSecrets, yamlErrorSummary } from './kubeconfig-secrets.js';

export interface KubeResponse {
  status: number;
  body: unknown;
}

export interface KubeClient {
  server: string;
  /** The kubeconfig user, for messages. */
  user: string;
  /** Closes the kept-alive connections. */
  close(): void;
  request(
    method: 'GET' | 'PATCH',
    path: string,
    options?: { body?: string; contentType?: string; impersonate?: string },
  ): Promise<KubeResponse>;
}

export interface ConnectOptions {
  kubeconfig?: string | undefined;
  context: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Per request (default 15 s). */
  timeoutMs?: number;
  retries?: number;
  /** Receives the kubeconfig's credentials: no message may quote them. */
  secrets?: SecretSet | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request the server did not answer in time: never retried, so the bound holds as stated. */
class NoAnswer extends Error {}

/**
 * A Kubernetes API client for one kubeconfig context, with @kubernetes/client-node doing what it
 * is for: reading the kubeconfig and authenticating (tokens, client certificates, exec plugins such
 * as kubelogin), TLS verified unless the kubeconfig says otherwise. Requests have a timeout and are
 * retried on 429 and 5xx (honouring Retry-After); a server that cannot be reached is a ToolError.
 */
export async function connect(options: ConnectOptions): Promise<KubeClient> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  const file = options.kubeconfig ?? options.env.KUBECONFIG?.split(':').find((f) => f !== '');
  // Its credentials are known before anything can quote them (a parser error shows an excerpt).
  const home = options.env.HOME ?? os.homedir();
  for (const candidate of file ? [file] : [path.join(home, '.kube', 'config')]) {
    try {
      for (const value of kubeconfigSecrets(readFileSync(candidate, 'utf8'))) options.secrets?.add(value);
    } catch {
      // unreadable: the load below says so
    }
  }
  try {
    if (file) kc.loadFromString(readFileSync(file, 'utf8'));
    else kc.loadFromDefault();
  } catch (error) {
    throw new ToolError(`cannot read kubeconfig ${file ?? '(default)'}: ${yamlErrorSummary(error)}`);
  }
  const context = kc.getContextObject(options.context);
  if (!context)
    throw new ToolError(
      `kubeconfig ${file ?? '~/.kube/config'} has no context "${options.context}" (contexts: ${
        kc
          .getContexts()
          .map((c) => c.name)
          .join(', ') || 'none'
      })`,
    );
  kc.setCurrentContext(options.context);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new ToolError(`kubeconfig context "${options.context}" names no cluster`);
  const base = cluster.server.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  const retries = options.retries ?? 3;

  // Credentials once per run (an exec plugin such as kubelogin runs once), and one pool of
  // kept-alive TLS connections: a handshake per request would cost more than the request.
  const auth: https.RequestOptions = { headers: {} };
  try {
    await kc.applyToHTTPSOptions(auth);
  } catch (error) {
    throw new ToolError(
      `authentication for context "${options.context}" failed: ${(error as Error).message}`,
    );
  }
  const { headers: authHeaders, ...tls } = auth;
  const agent = new https.Agent({ ...(tls as https.AgentOptions), keepAlive: true, maxSockets: 16 });
  const once = async (
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<KubeResponse> => {
    const url = new URL(`${base}${path}`);
    const request: https.RequestOptions = {
      method,
      agent,
      headers: { accept: 'application/json', ...(authHeaders as Record<string, string>), ...headers },
    };
    return new Promise((resolve, reject) => {
      // One clock for the whole exchange (connection, TLS, answer, body): a socket's idle timeout
      // restarts with every byte, and a server that accepts and says nothing stalls the handshake.
      const timer = setTimeout(
        () => req.destroy(new NoAnswer(`no answer within ${Math.round(timeoutMs / 1000)} s`)),
        timeoutMs,
      );
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      const req = https.request(url, request, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // plain text (a proxy's error page)
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('error', fail);
      if (body !== undefined) req.write(body);
      req.end();
    });
  };

  // Closed once the cluster's dry run is over (or failed): requests still in flight end with the
  // connections, and are not retried, so nothing outlives the bound a message stated.
  let closed = false;
  const stopped = () =>
    new ToolError(`the dry run against context "${options.context}" (${base}) was stopped`);
  return {
    server: base,
    user: context.user,
    close: () => {
      closed = true;
      agent.destroy();
    },
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = {};
      if (opts.contentType) headers['content-type'] = opts.contentType;
      if (opts.impersonate) headers['impersonate-user'] = opts.impersonate;
      for (let attempt = 0; ; attempt++) {
        if (closed) throw stopped();
        let response: KubeResponse;
        try {
          response = await once(method, path, opts.body, headers);
        } catch (error) {
          if (error instanceof ToolError) throw error;
          if (closed) throw stopped();
          if (
            attempt < retries &&
            !(error instanceof NoAnswer) &&
            /ECONNRESET|socket hang up/.test(String(error))
          ) {
            await sleep(200 * 2 ** attempt);
            continue;
          }
          throw new ToolError(
            `cannot reach the API server of context "${options.context}" (${base}): ${(error as Error).message}`,
          );
        }
        if ((response.status === 429 || response.status >= 500) && attempt < retries) {
          const after = Number(
            (response.body as { details?: { retryAfterSeconds?: number } })?.details?.retryAfterSeconds,
          );
          await sleep(Number.isFinite(after) && after > 0 ? Math.min(after, 10) * 1000 : 250 * 2 ** attempt);
          continue;
        }
        if (response.status === 401)
          throw new ToolError(
            `the API server of context "${options.context}" refused the credentials of user "${context.user}" (401 Unauthorized): log in again or refresh the kubeconfig`,
          );
        return response;
      }
    },
  };
}
