import path from 'node:path';
import { isRecord } from '../../load/resource.js';

/** Reads a repository file's bytes (repo-relative POSIX path); undefined when it cannot. */
export type ReadBytes = (file: string) => Uint8Array | undefined;

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** `KEY=VALUE` → VALUE (quotes as kustomize strips them too); without `=`, the whole entry. */
function literalValues(entry: string): string[] {
  const eq = entry.indexOf('=');
  if (eq < 0) return [entry];
  const value = entry.slice(eq + 1);
  return [entry, value, value.replace(/^(["'])(.*)\1$/, '$2')];
}

/** An env file: the whole file, each line, and each line's value, as bytes (it may not be UTF-8). */
function envFile(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [bytes];
  const buffer = Buffer.from(bytes);
  for (let start = 0; start < buffer.length; ) {
    let end = buffer.indexOf(0x0a, start);
    if (end < 0) end = buffer.length;
    const line = buffer.subarray(start, end > start && buffer[end - 1] === 0x0d ? end - 1 : end);
    out.push(line);
    const eq = line.indexOf(0x3d);
    if (eq >= 0) out.push(line.subarray(eq + 1));
    start = end + 1;
  }
  return out;
}

/**
 * What the `secretGenerator` entries of one kustomization (repo-relative directory `dir`) put into
 * Secrets: literal values (an entry without `=` too: kustomize quotes it in its error), and the
 * contents of `envs` and `files` files. Kustomize's errors may quote any of them, so all are
 * secret values to scrub. Files outside the repository are not read.
 */
export function generatorSecrets(
  kustomization: unknown,
  dir: string,
  read: ReadBytes,
): (string | Uint8Array)[] {
  if (!isRecord(kustomization) || !Array.isArray(kustomization.secretGenerator)) return [];
  const out: (string | Uint8Array)[] = [];
  const file = (name: string) => {
    const rel = path.posix.normalize(path.posix.join(dir, name));
    return rel.startsWith('../') || rel === '..' || path.posix.isAbsolute(rel) ? undefined : read(rel);
  };
  for (const generator of kustomization.secretGenerator) {
    if (!isRecord(generator)) continue;
    for (const literal of strings(generator.literals)) out.push(...literalValues(literal));
    const envs = [...strings(generator.envs), ...(typeof generator.env === 'string' ? [generator.env] : [])];
    for (const name of envs) {
      const bytes = file(name);
      if (bytes) out.push(...envFile(bytes));
    }
    for (const entry of strings(generator.files)) {
      // `key=path` or `path`.
      const bytes = file(entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : entry);
      if (!bytes) continue;
      out.push(bytes);
      for (const line of Buffer.from(bytes).toString('utf8').split(/\r?\n/)) out.push(line);
    }
  }
  return out;
}
