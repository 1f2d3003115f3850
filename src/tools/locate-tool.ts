import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageFile } from '../core/package-files.js';

/**
 * The pinned external tools that scripts/install-tools.sh installs (tools/versions.env, plain
 * KEY=value lines), and where it puts them:
 * `${FLUXGATE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/fluxgate-tools}/<name>-<version>/<name>`.
 */
export function parseVersionsEnv(text: string): Map<string, string> {
  const pins = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    pins.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return pins;
}

let cached: Map<string, string> | undefined;

/** The pins shipped with this package (empty when tools/versions.env is absent). */
export function toolPins(): Map<string, string> {
  if (!cached) {
    try {
      cached = parseVersionsEnv(readFileSync(packageFile('tools/versions.env'), 'utf8'));
    } catch {
      cached = new Map();
    }
  }
  return cached;
}

/** `kustomize` → `KUSTOMIZE_VERSION`, `controller-gen` → `CONTROLLER_GEN_VERSION` (the script's rule). */
export function pinKey(name: string): string {
  return `${name.toUpperCase().replaceAll('-', '_')}_VERSION`;
}

export function toolsDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env.FLUXGATE_TOOLS_DIR) return env.FLUXGATE_TOOLS_DIR;
  const cache = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(cache, 'fluxgate-tools');
}

export interface PinnedTool {
  name: string;
  version: string;
  /** Where the install script puts the binary. */
  path: string;
  installed: boolean;
}

/** The pinned version of a tool and its path in the tools cache, or undefined when it is not pinned. */
export function locatePinnedTool(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
  pins: ReadonlyMap<string, string> = toolPins(),
): PinnedTool | undefined {
  const version = pins.get(pinKey(name));
  if (!version) return undefined;
  const file = path.join(toolsDir(env), `${name}-${version}`, name);
  return { name, version, path: file, installed: existsSync(file) };
}

/**
 * A tool built from a local Go module (`LOCAL_MODULES` in tools/versions.env, sources in
 * tools/<name>/): installed at `<tools dir>/<name>-<version>-<hash>/<name>`, where <hash> is what
 * scripts/install-tools.sh computes: the first 12 hex digits of the sha256 of `sha256sum` lines
 * over the module's .go, go.mod, go.sum and ldflags files in C-locale path order. A build of other
 * sources is never used.
 */
export function locateLocalTool(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
  pins: ReadonlyMap<string, string> = toolPins(),
): PinnedTool | undefined {
  const entry = (pins.get('LOCAL_MODULES') ?? '')
    .split(',')
    .map((e) => e.split(':'))
    .find((e) => e[0] === name);
  const version = entry?.[1] ? pins.get(entry[1]) : undefined;
  if (!version) return undefined;
  const dir = packageFile(`tools/${name}`);
  const files: string[] = [];
  const walk = (rel: string) => {
    let names: string[];
    try {
      names = readdirSync(path.join(dir, rel));
    } catch {
      return;
    }
    for (const n of names) {
      const child = rel === '' ? n : `${rel}/${n}`;
      const stat = statSync(path.join(dir, child), { throwIfNoEntry: false });
      if (stat?.isDirectory()) walk(child);
      else if (stat?.isFile() && (/\.go$/.test(n) || ['go.mod', 'go.sum', 'ldflags'].includes(n)))
        files.push(`./${child}`);
    }
  };
  walk('');
  if (files.length === 0) return undefined;
  files.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const lines = files
    .map(
      (f) =>
        `${createHash('sha256')
          .update(readFileSync(path.join(dir, f)))
          .digest('hex')}  ${f}\n`,
    )
    .join('');
  const hash = createHash('sha256').update(lines).digest('hex').slice(0, 12);
  const file = path.join(toolsDir(env), `${name}-${version}-${hash}`, name);
  return { name, version, path: file, installed: existsSync(file) };
}
