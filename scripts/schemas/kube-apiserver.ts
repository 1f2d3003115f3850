// Starts etcd and kube-apiserver (the pinned builds) on 127.0.0.1 for the Kubernetes schema
// generator, and stops them. Flags: https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Agent, fetch } from 'undici';
import { toolPath } from './lib.js';

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

export interface ApiServer {
  url: string;
  /** GET a path as JSON (the server's certificate is self-signed: this is loopback only). */
  get(pathname: string): Promise<unknown>;
  stop(): Promise<void>;
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

export async function startApiServer(): Promise<ApiServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-apiserver-'));
  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await freePort());
  const [etcdClient, etcdPeer, apiPort] = [...ports] as [number, number, number];
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = path.join(dir, 'sa.key');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  // Anonymous requests get 401 in current releases: a static token for a system:masters user.
  const token = randomBytes(24).toString('hex');
  const tokenFile = path.join(dir, 'tokens.csv');
  writeFileSync(tokenFile, `${token},fluxgate,fluxgate,system:masters\n`);
  const log = (name: string) => path.join(dir, `${name}.log`);
  const children: ChildProcess[] = [];
  const launch = (name: string, args: string[]) => {
    const child = spawn(toolPath(name), args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const chunks: string[] = [];
    child.stderr?.on('data', (d: Buffer) => chunks.push(d.toString()));
    child.once('exit', () => writeFileSync(log(name), chunks.join('')));
    children.push(child);
    return chunks;
  };
  const etcdLog = launch('etcd', [
    `--data-dir=${path.join(dir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
    `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
  ]);
  const apiLog = launch('kube-apiserver', [
    `--etcd-servers=http://127.0.0.1:${etcdClient}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${apiPort}`,
    `--cert-dir=${path.join(dir, 'certs')}`,
    '--authorization-mode=AlwaysAllow',
    `--token-auth-file=${tokenFile}`,
    `--service-account-key-file=${keyFile}`,
    `--service-account-signing-key-file=${keyFile}`,
    '--service-account-issuer=https://kubernetes.default.svc',
    '--service-cluster-ip-range=10.0.0.0/24',
    // Every API group and version the release defines, alpha and beta included, so the bundle
    // knows each kind a cluster may enable.
    '--runtime-config=api/all=true',
  ]);
  const url = `https://127.0.0.1:${apiPort}`;
  const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
  const headers = { authorization: `Bearer ${token}` };
  const get = async (pathname: string) => {
    const response = await fetch(`${url}${pathname}`, { dispatcher, headers });
    if (!response.ok) throw new Error(`GET ${pathname}: ${response.status}`);
    return response.json();
  };
  const stop = async () => {
    await Promise.all(children.reverse().map(stopProcess));
    await dispatcher.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/readyz`, { dispatcher, headers });
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline || children.some((c) => c.exitCode !== null)) {
      await stop();
      const tail = (chunks: string[]) => chunks.join('').slice(-3000);
      throw new Error(`kube-apiserver did not become ready:\n${tail(apiLog)}\netcd:\n${tail(etcdLog)}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { url, get, stop };
}
