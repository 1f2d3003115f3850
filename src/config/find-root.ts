import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

export const CONFIG_FILE = '.fluxgate.yaml';

/** The nearest ancestor of `start` (a directory or file) holding `.fluxgate.yaml` or `.git`. */
export function findRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  if (existsSync(dir) && !statSync(dir).isDirectory()) dir = path.dirname(dir);
  for (;;) {
    if (existsSync(path.join(dir, CONFIG_FILE)) || existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
