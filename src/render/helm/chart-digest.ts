import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { contentKey } from '../../cache/store.js';

/**
 * A content digest of a chart directory (or packaged chart, or values file): every file below it,
 * by relative path and content. Rendered releases are cached by it, never by path or time.
 */
export function treeDigest(target: string, memo: Map<string, string>): string {
  const known = memo.get(target);
  if (known) return known;
  const parts: string[] = [];
  const walk = (rel: string) => {
    const at = path.join(target, rel);
    const stat = statSync(at, { throwIfNoEntry: false });
    if (!stat) parts.push(`${rel}\0-`);
    else if (stat.isDirectory())
      for (const name of readdirSync(at).sort()) walk(rel === '' ? name : `${rel}/${name}`);
    else if (stat.isFile()) parts.push(`${rel}\0${contentKey(readFileSync(at))}`);
  };
  walk('');
  const digest = contentKey(...parts);
  memo.set(target, digest);
  return digest;
}
