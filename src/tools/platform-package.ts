import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The pinned helper binaries (tools/kustomize-server, tools/helm-server) ship prebuilt in one optional package
 * per platform, as esbuild and Biome ship theirs: the main package lists every platform package in
 * `optionalDependencies` at its own version, npm installs only the one whose `os` and `cpu` match
 * (https://docs.npmjs.com/cli/v11/configuring-npm/package-json#os), and fluxgate resolves it at run
 * time. `npm run pack:all` builds them; nobody who installs fluxgate needs Go.
 */
export const MAIN_PACKAGE = 'fluxgate-cli';

/** node's `process.platform`-`process.arch` for each platform package, and Go's GOOS/GOARCH. */
export const PLATFORMS = {
  'linux-x64': { os: 'linux', cpu: 'x64', goos: 'linux', goarch: 'amd64' },
  'linux-arm64': { os: 'linux', cpu: 'arm64', goos: 'linux', goarch: 'arm64' },
  'darwin-x64': { os: 'darwin', cpu: 'x64', goos: 'darwin', goarch: 'amd64' },
  'darwin-arm64': { os: 'darwin', cpu: 'arm64', goos: 'darwin', goarch: 'arm64' },
  'win32-x64': { os: 'win32', cpu: 'x64', goos: 'windows', goarch: 'amd64' },
  'win32-arm64': { os: 'win32', cpu: 'arm64', goos: 'windows', goarch: 'arm64' },
} as const;

export type Platform = keyof typeof PLATFORMS;

/** The helpers a platform package holds, in its `bin/` (kustomize builds, Helm renders). */
export const BUNDLED_TOOLS = ['kustomize-server', 'helm-server'] as const;

export function platformPackageName(platform: string): string {
  return `${MAIN_PACKAGE}-${platform}`;
}

export function hostPlatform(): string {
  return `${process.platform}-${process.arch}`;
}

export function executableName(tool: string, platform: string): string {
  return platform.startsWith('win32-') ? `${tool}.exe` : tool;
}

export interface BundledTool {
  /** The executable in the platform package. */
  path: string;
  /** The platform package's name and version. */
  packageName: string;
  packageVersion: string;
}

export type BundledLookup =
  | { found: BundledTool }
  | { missing: string; reason: 'not-installed' | 'version-mismatch' | 'no-binary' | 'unsupported' };

/**
 * The host's platform package and its `tool`, resolved from `from` (this package's directory) as
 * node resolves a dependency. A platform package of another version than `version` is not used:
 * its binary may speak another protocol or embed another kustomize.
 */
export function findBundledTool(tool: string, from: string, version: string): BundledLookup {
  const platform = hostPlatform();
  const name = platformPackageName(platform);
  if (!(platform in PLATFORMS)) return { missing: name, reason: 'unsupported' };
  let manifest: string;
  try {
    manifest = createRequire(path.join(from, 'package.json')).resolve(`${name}/package.json`);
  } catch {
    return { missing: name, reason: 'not-installed' };
  }
  let packageVersion = '';
  try {
    packageVersion = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? '';
  } catch {
    return { missing: name, reason: 'not-installed' };
  }
  if (packageVersion !== version) return { missing: name, reason: 'version-mismatch' };
  const file = path.join(path.dirname(manifest), 'bin', executableName(tool, platform));
  if (!existsSync(file)) return { missing: name, reason: 'no-binary' };
  return { found: { path: file, packageName: name, packageVersion } };
}
