// A real kube-apiserver + etcd (the pinned builds from scripts/install-tools.sh) on 127.0.0.1 for
// the server dry-run tests: generated certificates, RBAC, a client-certificate admin (system:masters)
// and a limited tenant identity, the flux-system namespace and the Flux CRDs. Never a fake.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Agent, fetch } from 'undici';
import { locateLocalTool } from '../../src/tools/locate-tool.js';

export interface TestApiServer {
  url: string;
  /** A kubeconfig with contexts `admin` (client certificate, system:masters) and `tenant` (token, no rights but its own). */
  kubeconfig: string;
  /** A request as the admin; JSON in and out. */
  request(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Applies objects for real (test setup only), as the admin. */
  create(objects: readonly Record<string, unknown>[]): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function tool(name: string): string {
  const found = locateLocalTool(name, process.env);
  if (!found?.installed) throw new Error(`${name} is not installed: run \`npm run tools\` (npm test does)`);
  return found.path;
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

const openssl = (dir: string, ...args: string[]) =>
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });

/** The Flux kinds the example fleets use (served, any content: their schemas are checked locally). */
const FLUX_KINDS: [group: string, version: string, kind: string, plural: string][] = [
  ['kustomize.toolkit.fluxcd.io', 'v1', 'Kustomization', 'kustomizations'],
  ['source.toolkit.fluxcd.io', 'v1', 'GitRepository', 'gitrepositories'],
  ['source.toolkit.fluxcd.io', 'v1', 'HelmRepository', 'helmrepositories'],
  ['source.toolkit.fluxcd.io', 'v1', 'OCIRepository', 'ocirepositories'],
  ['source.toolkit.fluxcd.io', 'v1', 'HelmChart', 'helmcharts'],
  ['source.toolkit.fluxcd.io', 'v1', 'Bucket', 'buckets'],
  ['helm.toolkit.fluxcd.io', 'v2', 'HelmRelease', 'helmreleases'],
  ['notification.toolkit.fluxcd.io', 'v1beta3', 'Alert', 'alerts'],
  ['notification.toolkit.fluxcd.io', 'v1beta3', 'Provider', 'providers'],
  ['notification.toolkit.fluxcd.io', 'v1', 'Receiver', 'receivers'],
];

function fluxCrd([group, version, kind, plural]: (typeof FLUX_KINDS)[number]): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
}

export async function startTestApiServer(): Promise<TestApiServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-test-apiserver-'));
  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await freePort());
  const [etcdClient, etcdPeer, apiPort] = [...ports] as [number, number, number];

  // A CA for the serving and client certificates; the admin is a system:masters client certificate.
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=fluxgate-test-ca',
  );
  openssl(
    dir,
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=127.0.0.1',
  );
  writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  );
  openssl(
    dir,
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'admin.key',
    '-out',
    'admin.csr',
    '-subj',
    '/O=system:masters/CN=admin',
  );
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    'admin.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'admin.crt',
    '-days',
    '2',
  );
  openssl(dir, 'genrsa', '-out', 'sa.key', '2048');
  // The tenant: a plain user with a static token and no rights but what the tests grant it.
  const tenantToken = 'tenant-token-0123456789abcdef';
  writeFileSync(path.join(dir, 'tokens.csv'), `${tenantToken},tenant,tenant-uid\n`);

  const children: ChildProcess[] = [];
  const logs: Record<string, string[]> = {};
  const launch = (name: string, args: string[]) => {
    const child = spawn(tool(name), args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const chunks: string[] = [];
    logs[name] = chunks;
    child.stderr?.on('data', (d: Buffer) => {
      chunks.push(d.toString());
      if (chunks.length > 200) chunks.splice(0, 100);
    });
    children.push(child);
  };
  launch('etcd', [
    `--data-dir=${path.join(dir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
    `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
  ]);
  launch('kube-apiserver', [
    `--etcd-servers=http://127.0.0.1:${etcdClient}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${apiPort}`,
    `--tls-cert-file=${path.join(dir, 'server.crt')}`,
    `--tls-private-key-file=${path.join(dir, 'server.key')}`,
    `--client-ca-file=${path.join(dir, 'ca.crt')}`,
    '--authorization-mode=RBAC',
    `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
    `--service-account-key-file=${path.join(dir, 'sa.key')}`,
    `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
    '--service-account-issuer=https://kubernetes.default.svc',
    '--service-cluster-ip-range=10.0.0.0/24',
    '--endpoint-reconciler-type=none',
  ]);

  const url = `https://127.0.0.1:${apiPort}`;
  const dispatcher = new Agent({
    connect: {
      ca: readFileSync(path.join(dir, 'ca.crt')),
      cert: readFileSync(path.join(dir, 'admin.crt')),
      key: readFileSync(path.join(dir, 'admin.key')),
    },
  });
  const request = async (method: string, pathname: string, body?: unknown) => {
    const response = await fetch(`${url}${pathname}`, {
      method,
      dispatcher,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed };
  };
  const stop = async () => {
    // The API server first: etcd must outlive it.
    for (const child of [...children].reverse()) await stopProcess(child);
    await dispatcher.close();
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await request('GET', '/readyz')).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || children.some((c) => c.exitCode !== null)) {
      const tail = Object.entries(logs)
        .map(([name, chunks]) => `${name}:\n${chunks.join('').slice(-2000)}`)
        .join('\n');
      await stop();
      throw new Error(`kube-apiserver did not become ready:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }

  const pathOf = (o: Record<string, unknown>) => {
    const meta = o.metadata as { name: string; namespace?: string };
    const [group, version] = String(o.apiVersion).includes('/')
      ? String(o.apiVersion).split('/')
      : ['', String(o.apiVersion)];
    const plural = String(o.kind).toLowerCase().replace(/y$/, 'ie').concat('s');
    const base = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    return `${base}${meta.namespace ? `/namespaces/${meta.namespace}` : ''}/${plural}`;
  };
  const create = async (objects: readonly Record<string, unknown>[]) => {
    for (const o of objects) {
      for (let attempt = 0; ; attempt++) {
        const res = await request('POST', pathOf(o), o);
        if (res.status < 300 || res.status === 409) break;
        // A CRD's kind is served a moment after the CRD is created.
        if (res.status === 404 && attempt < 40) {
          await new Promise((r) => setTimeout(r, 250));
          continue;
        }
        throw new Error(`create ${String(o.kind)}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
  };

  await create([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flux-system' } },
    ...FLUX_KINDS.map(fluxCrd),
  ]);
  // Wait until every Flux kind is served.
  for (const [group, version, , plural] of FLUX_KINDS)
    for (let attempt = 0; ; attempt++) {
      if ((await request('GET', `/apis/${group}/${version}/${plural}`)).status === 200) break;
      if (attempt > 80) throw new Error(`${plural}.${group} is not served`);
      await new Promise((r) => setTimeout(r, 250));
    }

  const b64 = (file: string) => readFileSync(path.join(dir, file)).toString('base64');
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'test', cluster: { server: url, 'certificate-authority-data': b64('ca.crt') } }],
      users: [
        {
          name: 'admin',
          user: { 'client-certificate-data': b64('admin.crt'), 'client-key-data': b64('admin.key') },
        },
        { name: 'tenant', user: { token: tenantToken } },
      ],
      contexts: [
        { name: 'admin', context: { cluster: 'test', user: 'admin' } },
        { name: 'tenant', context: { cluster: 'test', user: 'tenant' } },
      ],
      'current-context': 'admin',
    }),
  );
  return { url, kubeconfig, request, create, stop };
}
