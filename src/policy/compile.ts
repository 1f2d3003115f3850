import { createHash, randomUUID } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { globby } from 'globby';
import { makePrivateDir } from '../cache/cache-dir.js';
import { seal, unseal } from '../cache/sealed.js';
import { UsageError } from '../core/errors.js';
import { makeOwnedTempDir, removeOwnedTempDir } from '../core/temp-root.js';
import { wasmCapabilities } from './capabilities.js';
import { opa } from './opa-cli.js';

export interface RuleAnnotation {
  /** Package path, e.g. `main` or `fluxgate/policy/image_tag_pinned`. */
  pkg: string;
  /** Rule name, e.g. `deny_latest`; empty for package-scope annotations. */
  rule: string;
  title?: string;
  description?: string;
  relatedUrl?: string;
  /** Every `related_resources` entry, in order (the first is the rule's documentation). */
  related?: { ref: string; description?: string }[];
  /** `entrypoint: true` (the rules `opa build` compiles as entrypoints without `-e`). */
  entrypoint?: boolean;
  custom: Record<string, unknown>;
}

export interface CompiledPolicy {
  wasm: Uint8Array;
  /** Package paths compiled as entrypoints (slash-separated). */
  entrypoints: string[];
  annotations: RuleAnnotation[];
}

export interface CompileOptions {
  opaBin: string;
  regoVersion?: 'v0' | 'v1';
  /** Where compiled policies are cached by content hash; undefined: no cache. */
  cacheDir?: string;
}

/** Bumped when the cached meta.json shape changes, so older entries are not read. */
const CACHE_FORMAT = 'fluxgate-policy-cache-2';

const PACKAGE = /^package\s+([A-Za-z_][\w.]*)/m;

function packageOf(text: string): string | undefined {
  return PACKAGE.exec(text)?.[1]?.replaceAll('.', '/');
}

export interface InspectAnnotation {
  annotations?: {
    scope?: string;
    title?: string;
    description?: string;
    entrypoint?: boolean;
    related_resources?: { ref?: string; description?: string }[];
    custom?: Record<string, unknown>;
  };
  path?: { value: string }[];
  location?: { file?: string };
}

/** One `opa inspect -a` entry; package (and subpackages) annotations get `rule: ''`. */
export function toAnnotation(a: InspectAnnotation): RuleAnnotation | undefined {
  const segments = (a.path ?? []).slice(1).map((p) => String(p.value));
  if (segments.length === 0) return undefined;
  const meta = a.annotations ?? {};
  const onPackage = meta.scope === 'package' || meta.scope === 'subpackages';
  const related = (meta.related_resources ?? []).flatMap((r) =>
    r.ref ? [{ ref: r.ref, ...(r.description ? { description: r.description } : {}) }] : [],
  );
  return {
    pkg: (onPackage ? segments : segments.slice(0, -1)).join('/'),
    rule: onPackage ? '' : (segments.at(-1) ?? ''),
    ...(meta.title ? { title: meta.title } : {}),
    ...(meta.description ? { description: meta.description } : {}),
    ...(related[0] ? { relatedUrl: related[0].ref, related } : {}),
    ...(meta.entrypoint ? { entrypoint: true } : {}),
    custom: meta.custom ?? {},
  };
}

/**
 * Compiles a directory of Rego (conftest layout: `_test.rego` files are tests and left out) to one
 * wasm module with one entrypoint per package, cached by a content hash of the policy files, the
 * opa version and the Rego version.
 */
export async function compilePolicyDir(dir: string, options: CompileOptions): Promise<CompiledPolicy> {
  const files = (await globby('**/*.rego', { cwd: dir, ignore: ['**/*_test.rego'] })).sort();
  if (files.length === 0) throw new UsageError(`policy directory ${dir}: no .rego files`);
  const texts = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
  const version = await opa(options.opaBin, ['version']);
  const v0 = options.regoVersion === 'v0' ? ['--v0-compatible'] : [];
  const hash = createHash('sha256')
    .update(CACHE_FORMAT)
    .update(version)
    .update(options.regoVersion ?? 'v1');
  for (const [i, f] of files.entries()) hash.update(`\0${f}\0${texts[i]}`);
  const key = hash.digest('hex').slice(0, 32);
  const cached = options.cacheDir && path.join(options.cacheDir, key);
  if (cached) {
    try {
      // Each file sealed with its digest: a damaged entry is compiled again, never used.
      const meta = unseal(await readFile(path.join(cached, 'meta.json')));
      const wasm = unseal(await readFile(path.join(cached, 'policy.wasm')));
      if (meta && wasm)
        return { ...(JSON.parse(meta.toString('utf8')) as Omit<CompiledPolicy, 'wasm'>), wasm };
    } catch {
      // not cached yet (or a partial entry): compile
    }
  }

  const entrypoints = [...new Set(texts.map(packageOf).filter((p): p is string => p !== undefined))].sort();
  // Owned by this process (core/temp-root.ts): a run stopped mid-compile leaves nothing behind.
  const tmp = makeOwnedTempDir('opa');
  try {
    const capabilities = wasmCapabilities(
      JSON.parse(await opa(options.opaBin, ['capabilities', '--current'])),
    );
    await writeFile(path.join(tmp, 'capabilities.json'), JSON.stringify(capabilities));
    const absolute = files.map((f) => path.join(dir, f));
    const inspect = JSON.parse(await opa(options.opaBin, ['inspect', '-f', 'json', '-a', ...v0, dir])) as {
      annotations?: InspectAnnotation[];
    };
    const annotations = (inspect.annotations ?? [])
      .filter((a) => !a.location?.file?.endsWith('_test.rego'))
      .map(toAnnotation)
      .filter((a): a is RuleAnnotation => !!a);
    await opa(options.opaBin, [
      'build',
      '-t',
      'wasm',
      ...v0,
      '--capabilities',
      path.join(tmp, 'capabilities.json'),
      ...entrypoints.flatMap((e) => ['-e', e]),
      '-o',
      path.join(tmp, 'bundle.tar.gz'),
      ...absolute,
    ]);
    const wasm = await extractWasm(path.join(tmp, 'bundle.tar.gz'));
    const compiled = { wasm, entrypoints, annotations };
    if (cached) await store(cached, compiled);
    return compiled;
  } finally {
    removeOwnedTempDir(tmp);
  }
}

/** `/policy.wasm` from an OPA bundle (a gzipped tar). */
export async function extractWasm(bundle: string): Promise<Uint8Array> {
  const { gunzipSync } = await import('node:zlib');
  const tar = gunzipSync(await readFile(bundle));
  // ustar: 512-byte headers, name at 0..100, size (octal) at 124..136, data padded to 512.
  for (let at = 0; at + 512 <= tar.length; ) {
    const name = tar
      .subarray(at, at + 100)
      .toString('utf8')
      .replace(/\0.*$/s, '');
    if (name === '') break;
    const size = Number.parseInt(
      tar
        .subarray(at + 124, at + 136)
        .toString('utf8')
        .replace(/\0.*$/s, '')
        .trim(),
      8,
    );
    if (name.replace(/^\.?\//, '') === 'policy.wasm') return tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`no policy.wasm in ${bundle}`);
}

async function store(dir: string, compiled: CompiledPolicy): Promise<void> {
  const tmp = `${dir}.tmp-${randomUUID()}`;
  makePrivateDir(tmp);
  const { wasm, ...meta } = compiled;
  await writeFile(path.join(tmp, 'policy.wasm'), seal(wasm), { mode: 0o600 });
  await writeFile(path.join(tmp, 'meta.json'), seal(Buffer.from(JSON.stringify(meta))), { mode: 0o600 });
  // A damaged entry of an earlier run is replaced.
  await rm(dir, { recursive: true, force: true });
  // Atomic for readers: another fluxgate process sees the whole entry or none.
  await rename(tmp, dir).catch(() => rm(tmp, { recursive: true, force: true }));
}
