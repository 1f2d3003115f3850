import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { codeIdentity } from '../cache/code-identity.js';
import { ContentStore, contentKey } from '../cache/store.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { CheckStageInput } from './check-stage.js';

/** Every file under a directory (sorted, relative), with its content: a user policy directory. */
function treeDigest(dir: string): string {
  const parts: string[] = [];
  const walk = (rel: string) => {
    let names: string[];
    try {
      names = readdirSync(path.join(dir, rel)).sort();
    } catch {
      parts.push(`${rel}\0-`);
      return;
    }
    for (const name of names) {
      const child = rel === '' ? name : `${rel}/${name}`;
      const stat = statSync(path.join(dir, child), { throwIfNoEntry: false });
      if (stat?.isDirectory()) walk(child);
      // Regular files only: a FIFO among the policies would block the read.
      else if (stat?.isFile()) parts.push(`${child}\0${contentKey(readFileSync(path.join(dir, child)))}`);
      else if (stat) parts.push(`${child}\0-`);
    }
  };
  walk('');
  return contentKey(...parts);
}

/**
 * The cache key of the check stage: this fluxgate (code, bundled schemas, built-in policies), the
 * config, the schema and policy options, the user's policy files, every loaded file's text (lines
 * for placing findings) and the whole render (every rendered object, build and finding). Undefined
 * when the result may depend on something outside them: schemas from other locations (a URL, a
 * directory) are only read during the check.
 */
export function checkKey(input: CheckStageInput): string | undefined {
  const schema = input.schema ?? {};
  if ((schema.schemaLocations?.length ?? 0) > 0 || input.config.schemaLocations.length > 0) return undefined;
  const { schemaCacheDir: _cache, validatorCacheDir: _validators, ...schemaOptions } = schema;
  const { reader: _reader, ...render } = input.render;
  const builds = [...render.builds].sort((a, b) => (a.target.key < b.target.key ? -1 : 1));
  const parts: (string | Uint8Array)[] = [
    codeIdentity(),
    JSON.stringify(input.config),
    JSON.stringify(schemaOptions),
    JSON.stringify(input.stages ? [...input.stages].sort() : null),
    JSON.stringify(input.focus ? [[...input.focus.files].sort(), [...input.focus.targets].sort()] : null),
  ];
  for (const dir of input.policy?.userPolicies ?? []) parts.push(JSON.stringify(dir), treeDigest(dir.path));
  for (const [file, source] of [...input.loaded].sort(([a], [b]) => (a < b ? -1 : 1)))
    parts.push(file, source.text);
  for (const [file, text] of input.render.reader.extraTexts()) parts.push(file, text ?? '-');
  // JSON, not v8's serializer: that one also encodes which objects are shared, which differs
  // between a fresh build and one read from the cache.
  // The render names source directories by absolute path; the checks read the repository by
  // repo-relative paths. Without the root, the same tree checked from another directory (a commit
  // `fluxgate diff` exports, a second clone) reuses the results.
  const renderJson = JSON.stringify({ ...render, builds }, (_key, value: unknown) =>
    value instanceof Map || value instanceof Set ? [...value] : value,
  );
  const rootJson = JSON.stringify(input.root).slice(1, -1);
  parts.push(rootJson === '' ? renderJson : renderJson.split(rootJson).join('\u0000root'));
  return contentKey(...parts);
}

/** The check stage's findings of earlier runs, by `checkKey`. */
export function openCheckCache(dir: string): ContentStore {
  return new ContentStore(dir, 'checks');
}

export type CachedChecks = Diagnostic[];
