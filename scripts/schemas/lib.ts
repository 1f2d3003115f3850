// Helpers shared by the schema generators (run with tsx; see generate.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const SCHEMAS_DIR = path.join(REPO, 'schemas');

export function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return execFileSync(cmd, args, {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** tools/versions.env: plain KEY=value lines (the tools script's format). */
export function pinnedVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  const text = readFileSync(path.join(REPO, 'tools/versions.env'), 'utf8');
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(\S+)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

export function toolsCache(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'fluxgate-tools');
}

/**
 * The path of a pinned tool, installed by the tools script (`--only NAME --print`); when it is
 * missing or fails, fall back to the layout it documents: <cache>/<name>-<version>/<name>.
 */
export function toolPath(name: string): string {
  const script = path.join(REPO, 'scripts/install-tools.sh');
  if (existsSync(script)) {
    try {
      // Installs the tool when missing (a no-op otherwise) and prints `name=path` lines.
      const printed = run('bash', [script, '--only', name, '--print']);
      const line = printed.split('\n').find((l) => l.startsWith(`${name}=`));
      const found = line?.slice(name.length + 1).trim();
      if (found && existsSync(found)) return found;
    } catch {
      // Fall through to the documented layout.
    }
  }
  const key = `${name.toUpperCase().replace(/-/g, '_')}_VERSION`;
  const version = pinnedVersions()[key];
  if (!version) throw new Error(`${key} is not in tools/versions.env`);
  const candidate = path.join(toolsCache(), `${name}-${version}`, name);
  if (!existsSync(candidate)) throw new Error(`${name} ${version} not installed: run npm run tools`);
  return candidate;
}

/** JSON with object keys sorted, so output depends only on content. */
export function stableJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** gzip output is reproducible: node writes mtime 0 and a fixed OS byte. */
export function writeGzipJson(file: string, value: unknown): number {
  mkdirSync(path.dirname(file), { recursive: true });
  const data = gzipSync(stableJson(value), { level: 9 });
  writeFileSync(file, data);
  return data.length;
}

export function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${stableJson(value, 2)}\n`);
}

/** Drops documentation-only keywords: the bundle keeps what validation needs. */
export function stripDocs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDocs);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k === 'description' || k === 'example' || k === 'externalDocs' || k === 'title') continue;
    // `properties` maps field names to schemas: a field may be called "description".
    out[k] =
      k === 'properties' || k === 'patternProperties' || k === 'definitions'
        ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([n, s]) => [n, stripDocs(s)]))
        : stripDocs(v);
  }
  return out;
}
