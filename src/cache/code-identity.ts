import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fluxgateVersion, packageFile } from '../core/package-files.js';

let identity: string | undefined;

function statTree(dir: string, hash: ReturnType<typeof createHash>, rel = ''): void {
  let names: string[];
  try {
    names = readdirSync(path.join(dir, rel)).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const child = rel === '' ? name : `${rel}/${name}`;
    const stat = statSync(path.join(dir, child), { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isDirectory()) statTree(dir, hash, child);
    else hash.update(`${child}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
}

/**
 * What identifies this fluxgate's code and data in cache keys: its version and the size and
 * modification time of its own code (`dist/` when built, `src/` under tests), bundled schemas and
 * compiled policies. A rebuilt or reinstalled fluxgate never reads results of another build.
 */
export function codeIdentity(): string {
  identity ??= computeCodeIdentity();
  return identity;
}

/** codeIdentity read from disk now (the daemon compares it with the one it started with). */
export function computeCodeIdentity(): string {
  const hash = createHash('sha256').update(fluxgateVersion());
  // This module sits in <code>/cache/: its parent is the whole code tree.
  statTree(path.dirname(path.dirname(fileURLToPath(import.meta.url))), hash);
  statTree(packageFile('schemas'), hash);
  statTree(packageFile('policies/dist'), hash);
  return hash.digest('hex').slice(0, 32);
}
