import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SchemaFetcher } from '../../src/schema/remote/fetcher.js';
import { expandLocation, parseLocation } from '../../src/schema/remote/location.js';
import { retryDelay } from '../../src/schema/remote/retry.js';
import { schemaFindings, tempDir } from './helpers.js';
import { schemaServer, WIDGET_SCHEMA } from './http-server.js';

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function serve(handler: Parameters<typeof schemaServer>[0]) {
  const server = await schemaServer(handler);
  servers.push(server);
  return server;
}

const WIDGET = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  colour: red\n';
const noSleep = async () => {};

describe('schema locations (kubeconform templates)', () => {
  it('expands the fields as kubeconform does', () => {
    const { template } = parseLocation('default', '/repo');
    expect(expandLocation(template, 'apps/v1', 'Deployment', '1.37.2')).toBe(
      'https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/v1.37.2-standalone-strict/deployment-apps-v1.json',
    );
    expect(expandLocation(template, 'v1', 'ConfigMap', undefined)).toMatch(
      /master-standalone-strict\/configmap-v1\.json$/,
    );
    const catalog = parseLocation(
      'https://example.test/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json',
      '/r',
    );
    expect(expandLocation(catalog.template, 'source.toolkit.fluxcd.io/v1', 'GitRepository', '1.37.2')).toBe(
      'https://example.test/source.toolkit.fluxcd.io/gitrepository_v1.json',
    );
    expect(parseLocation('schemas', '/repo')).toEqual({
      template:
        '/repo/schemas/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json',
      remote: false,
    });
  });

  it('Retry-After in seconds or as a date, else exponential backoff', () => {
    expect(retryDelay(0, '2', 500)).toBe(2000);
    expect(retryDelay(0, new Date(10_000).toUTCString(), 500, 7_000)).toBe(3000);
    expect(retryDelay(2, null, 500)).toBe(2000);
  });
});

describe('fetching schemas over HTTP (a real server on 127.0.0.1)', () => {
  it('validates with a fetched schema, then reads it from the cache', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"' });
      res.end(WIDGET_SCHEMA);
    });
    const cacheDir = tempDir();
    const options = {
      schemaLocations: [`${server.base}/{{ .ResourceKind }}{{ .KindSuffix }}.json`],
      schemaCacheDir: cacheDir,
      offline: false,
    };
    const first = await schemaFindings({ 'w.yaml': WIDGET }, options);
    expect(first).toEqual([
      expect.objectContaining({
        ruleId: 'schema/unknown-field',
        message: 'unknown field "spec.colour" (did you mean "color"?)',
        line: 6,
        column: 3,
      }),
    ]);
    expect(server.requests.map((r) => r.url)).toEqual(['/widget-example-v1.json']);
    // A fresh entry is used without asking the server again.
    expect(await schemaFindings({ 'w.yaml': WIDGET }, options)).toEqual(first);
    expect(server.requests).toHaveLength(1);
  });

  it('revalidates a stale entry with If-None-Match; 304 keeps the cached body', async () => {
    const server = await serve((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304);
        res.end();
      } else {
        res.writeHead(200, { etag: '"v1"', 'last-modified': 'Mon, 01 Jun 2026 00:00:00 GMT' });
        res.end(WIDGET_SCHEMA);
      }
    });
    const cacheDir = tempDir();
    const url = `${server.base}/widget.json`;
    expect(await new SchemaFetcher({ cacheDir }).get(url)).toEqual({ status: 'ok', body: WIDGET_SCHEMA });
    const stale = new SchemaFetcher({ cacheDir, maxAgeMs: 0 });
    expect(await stale.get(url)).toEqual({ status: 'ok', body: WIDGET_SCHEMA });
    expect(server.requests[1]?.headers).toMatchObject({
      'if-none-match': '"v1"',
      'if-modified-since': 'Mon, 01 Jun 2026 00:00:00 GMT',
    });
  });

  it('retries 429 and 503 honouring Retry-After', async () => {
    let calls = 0;
    const server = await serve((_req, res) => {
      calls++;
      if (calls === 1) res.writeHead(429, { 'retry-after': '3' }).end();
      else if (calls === 2) res.writeHead(503).end();
      else res.writeHead(200).end(WIDGET_SCHEMA);
    });
    const delays: number[] = [];
    const fetcher = new SchemaFetcher({
      cacheDir: tempDir(),
      backoffMs: 10,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    expect(await fetcher.get(`${server.base}/w.json`)).toEqual({ status: 'ok', body: WIDGET_SCHEMA });
    expect(delays).toEqual([3000, 20]);
  });

  it('gives up after the retries: the kind is one schema/missing warning naming the failure', async () => {
    const server = await serve((_req, res) => res.writeHead(500).end());
    const findings = await schemaFindings(
      { 'w.yaml': WIDGET },
      { schemaLocations: [`${server.base}/x/{{ .ResourceKind }}.json`], offline: false },
    );
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'schema/missing',
        severity: 'warning',
        message: expect.stringContaining('HTTP 500'),
      }),
    ]);
    expect(server.requests.length).toBe(4);
  }, 20_000);

  it('times out a server that does not answer, without hanging', async () => {
    const server = await serve(() => {
      // Never answers.
    });
    const fetcher = new SchemaFetcher({ cacheDir: tempDir(), timeoutMs: 200, retries: 1, sleep: noSleep });
    const started = Date.now();
    const result = await fetcher.get(`${server.base}/slow.json`);
    expect(result).toEqual({ status: 'error', message: `${server.base}/slow.json: timed out after 200 ms` });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.requests).toHaveLength(2);
  });

  it('refetches a corrupt cache entry', async () => {
    const server = await serve((_req, res) => res.writeHead(200).end(WIDGET_SCHEMA));
    const cacheDir = tempDir();
    const url = `${server.base}/w.json`;
    await new SchemaFetcher({ cacheDir }).get(url);
    const [entry] = readdirSync(cacheDir);
    writeFileSync(path.join(cacheDir, entry!), '{"url": "trunc');
    expect(await new SchemaFetcher({ cacheDir }).get(url)).toEqual({ status: 'ok', body: WIDGET_SCHEMA });
    expect(server.requests).toHaveLength(2);
    expect(readdirSync(cacheDir)).toEqual([entry]);
  });

  it('--offline never touches the network: cached entries only', async () => {
    const server = await serve((_req, res) => res.writeHead(200).end(WIDGET_SCHEMA));
    const cacheDir = tempDir();
    const offline = new SchemaFetcher({ cacheDir, offline: true });
    expect(await offline.get(`${server.base}/w.json`)).toEqual({ status: 'not-found' });
    await new SchemaFetcher({ cacheDir }).get(`${server.base}/w.json`);
    expect(
      await new SchemaFetcher({ cacheDir, offline: true, maxAgeMs: 0 }).get(`${server.base}/w.json`),
    ).toEqual({
      status: 'ok',
      body: WIDGET_SCHEMA,
    });
    expect(server.requests).toHaveLength(1);
    const findings = await schemaFindings(
      { 'w.yaml': WIDGET },
      { schemaLocations: [`${server.base}/other/{{ .ResourceKind }}.json`], offline: true },
    );
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'schema/missing' })]);
    expect(server.requests).toHaveLength(1);
  });

  it('404 moves on to the next location; a local directory works too', async () => {
    const server = await serve((_req, res) => res.writeHead(404).end());
    const dir = tempDir();
    writeFileSync(path.join(dir, 'widget_v1.json'), WIDGET_SCHEMA);
    const findings = await schemaFindings(
      { 'w.yaml': WIDGET },
      {
        schemaLocations: [
          `${server.base}/{{ .ResourceKind }}.json`,
          `${dir}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`,
        ],
        offline: false,
      },
    );
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'schema/unknown-field', line: 6 })]);
    expect(server.requests).toHaveLength(1);
  });

  it('a Kubernetes version that is not bundled is fetched; the bundled schemas are the fallback', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/v1.30.0-standalone-strict/configmap-v1.json')
        res.writeHead(200).end(
          JSON.stringify({
            type: 'object',
            additionalProperties: false,
            properties: { kind: {}, apiVersion: {}, metadata: {} },
          }),
        );
      else res.writeHead(404).end();
    });
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n';
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  extra: 1\n';
    const findings = await schemaFindings(
      { 'cm.yaml': cm, 'svc.yaml': svc },
      { schemaLocations: [server.base], kubernetesVersion: '1.30.0', offline: false },
    );
    expect(findings.map((f) => [f.file, f.message])).toEqual([
      ['cm.yaml', 'unknown field "data"; allowed here: kind, apiVersion, metadata'],
      ['svc.yaml', 'unknown field "spec.extra"; allowed here: ports, selector, type, externalIPs'],
    ]);
  });
});
