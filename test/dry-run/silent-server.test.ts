// An API server address that accepts connections and never answers (a hung load balancer): the dry
// run must end as its message says, after one 15 s wait per request, with no request tried again
// after the run gave up (such a retry kept the process alive for another 15 s each time).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempRepo } from '../helpers/temp-repo.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/fluxgate.js');

describe('a dry run against a server that accepts and never answers', () => {
  let server: net.Server;
  let connections = 0;
  const sockets: net.Socket[] = [];

  beforeAll(async () => {
    server = net.createServer((socket) => {
      connections++;
      sockets.push(socket);
      socket.on('data', () => {});
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });

  it('is exit 2 with the stated bound, and nothing is retried after it', async () => {
    const { port } = server.address() as net.AddressInfo;
    const repo = tempRepo({
      'clusters/test/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: default\n',
    });
    const kubeconfig = path.join(repo, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters:
  - name: hung
    cluster:
      server: https://127.0.0.1:${port}
      insecure-skip-tls-verify: true
users:
  - name: u
    user:
      token: not-a-real-token
contexts:
  - name: hung
    context: {cluster: hung, user: u}
`,
    );
    // A process of its own: it must also exit, not only return an exit code.
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [BIN, 'validate', '--no-cache', '--server-dry-run', '--kubeconfig', kubeconfig, '--context', 'hung'],
        { cwd: repo, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' } },
      );
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no answer within 15 s');
    expect(result.stderr).not.toContain('not-a-real-token');
    // The dry run's first two requests (API discovery, namespaces), each on its own connection;
    // none after it gave up.
    expect(connections).toBeGreaterThanOrEqual(1);
    expect(connections).toBeLessThanOrEqual(2);
  });
});
