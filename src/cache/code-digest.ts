import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * What identifies fluxgate's code by content, whichever directory it is installed in: the daemon
 * answers every installation of the same code (pre-commit's own, the repository's node_modules, a
 * global install), and none of another. Written at build time into `dist/code-digest.txt`
 * (scripts/bundle.mjs), so a client reads one small file instead of hashing the package.
 */
export const CODE_DIGEST_FILE = 'dist/code-digest.txt';

/** The trees that make up the code: what runs, and the data it reads. */
const PARTS = ['package.json', 'bin', 'dist', 'schemas', 'policies/dist', 'tools/versions.env'];

function hashTree(root: string, rel: string, hash: ReturnType<typeof createHash>): void {
  const full = path.join(root, rel);
  const stat = statSync(full, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isDirectory()) {
    for (const name of readdirSync(full).sort()) hashTree(root, `${rel}/${name}`, hash);
    return;
  }
  // The digest file itself and source maps do not change what runs.
  if (rel === CODE_DIGEST_FILE || rel.endsWith('.map')) return;
  hash.update(`${rel}\0${stat.size}\0`).update(readFileSync(full));
}

/** The digest of a package directory's code and data, hashed now (sha256, 32 hex digits). */
export function computeCodeDigest(packageDir: string): string {
  const hash = createHash('sha256');
  for (const part of PARTS) hashTree(packageDir, part, hash);
  return hash.digest('hex').slice(0, 32);
}
