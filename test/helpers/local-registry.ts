import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

/**
 * fluxgate's packed tarballs served under their real names by a local npm registry (see
 * local-registry-server.mjs), in a process of its own: the tests wait on npm with spawnSync.
 */
export interface LocalRegistry {
  url: string;
  close(): Promise<void>;
}

export function startLocalRegistry(tarballDir: string): Promise<LocalRegistry> {
  const child = spawn(
    process.execPath,
    [path.join(import.meta.dirname, 'local-registry-server.mjs'), tarballDir],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the local registry exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [what, value] = line.split(' ') as [string, string];
      if (what === 'listening')
        resolve({
          url: value,
          close: () =>
            new Promise((done) => {
              child.removeAllListeners('exit');
              child.once('exit', () => done());
              child.stdin.end();
            }),
        });
    });
  });
}
