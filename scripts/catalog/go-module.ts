// Fetches one released version of a Go module through the Go module proxy (`go mod download`),
// which checks it against the checksum database: the zip and its `h1:` sum are the provenance.
// https://go.dev/ref/mod#go-mod-download
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface DownloadedModule {
  path: string;
  version: string;
  /** The module zip in the Go module cache. */
  zip: string;
  /** The go.sum hash of the zip (`h1:...`), as the checksum database has it. */
  sum: string;
}

export function downloadModule(modulePath: string, version: string): DownloadedModule {
  // Outside any go.mod, and never a toolchain switch: only the zip is wanted.
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-catalog-'));
  let out: string;
  try {
    out = execFileSync('go', ['mod', 'download', '-json', `${modulePath}@${version}`], {
      cwd,
      env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // `go mod download -json` exits 1 when it reports an Error; the JSON is still on stdout.
    out = String((error as { stdout?: unknown }).stdout ?? '');
    if (!out.trim()) throw error;
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  const info = JSON.parse(out) as { Zip?: string; Sum?: string; Error?: string };
  // A module whose go.mod asks for a newer Go is downloaded and verified, then not extracted:
  // its zip is all the catalog reads.
  if (!info.Zip || !info.Sum || !existsSync(info.Zip))
    throw new Error(`${modulePath}@${version}: ${info.Error ?? 'not downloaded'}`);
  return { path: modulePath, version, zip: info.Zip, sum: info.Sum };
}
