import { existsSync, readFileSync } from 'node:fs';
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
