import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { locateLocalTool } from '../../src/tools/locate-tool.js';

/** A local tool built by `npm run tools` (tools/<name>/). */
export function localTool(name: string): string {
  const tool = locateLocalTool(name, process.env);
  if (!tool?.installed) throw new Error(`${name} is not installed: run \`npm run tools\` (npm test does)`);
  return tool.path;
}

/** `helm package DIR -d OUT` with the pinned Helm (tools/helm-server): the archive's path. */
export function packageChart(dir: string, out: string): string {
  return execFileSync(localTool('helm-server'), ['package', dir, out], { encoding: 'utf8' }).trim();
}

/** A chart repository served over HTTP on loopback: the files of `dir`, with an index.yaml for its archives. */
export async function chartRepository(
  dir: string,
): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const file = path.join(dir, decodeURIComponent((req.url ?? '/').split('?')[0]!));
    if (!file.startsWith(dir) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200);
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  execFileSync(localTool('helm-server'), ['index', dir, url]);
  return {
    url,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The CNCF Distribution registry (tools/oci-registry) on loopback; resolves once it accepts connections. */
export async function ociRegistry(): Promise<{
  host: string;
  push(archive: string, repo: string): string;
  stop(): void;
}> {
  const child: ChildProcess = spawn(localTool('oci-registry'), [], { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (d: Buffer) => {
    errors += d.toString();
  });
  const host = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^listening on (\S+)$/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`oci-registry exited (${code}): ${errors}`)));
  });
  return {
    host,
    push: (archive, repo) =>
      execFileSync(localTool('helm-server'), ['push', archive, `oci://${host}/${repo}`], {
        encoding: 'utf8',
      }).trim(),
    stop: () => child.kill('SIGKILL'),
  };
}
