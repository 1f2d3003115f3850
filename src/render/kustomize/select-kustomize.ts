import { execFile } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { makePrivateDir } from '../../cache/cache-dir.js';
import { seal, unseal } from '../../cache/sealed.js';
import { contentKey } from '../../cache/store.js';
import { ToolError } from '../../core/errors.js';
import { fluxgateVersion, packageFile } from '../../core/package-files.js';
import { locateLocalTool, locatePinnedTool } from '../../tools/locate-tool.js';
import { type BundledLookup, findBundledTool, MAIN_PACKAGE } from '../../tools/platform-package.js';

/**
 * The oldest kustomize fluxgate is tested with (kubectl v1.32's embedded kustomize). Flux v2.9.4
 * embeds kustomize/api v0.21.1 = kustomize v5.8.1, which the platform package ships (and
 * `npm run tools` installs in a clone of fluxgate).
 */
export const MIN_KUSTOMIZE_VERSION = 'v5.5.0';

export interface KustomizeCommand {
  /** The executable and the arguments that precede `build`'s own (`kubectl kustomize` has none extra). */
  file: string;
  prefix: string[];
  /** `kustomize build` or `kubectl kustomize`, which take the same build flags. */
  kind: 'kustomize' | 'kubectl';
  version: string;
  /**
   * Where it came from: --kustomize-bin, kustomize.bin, the tools cache of a fluxgate clone, the
   * platform package, PATH, kubectl.
   */
  from: 'flag' | 'config' | 'pinned' | 'bundled' | 'path' | 'kubectl';
  /**
   * tools/kustomize-server built with the same kustomize API, when the pinned kustomize is used:
   * builds run in long-lived processes instead of one process each (FLUXGATE_KUSTOMIZE_SERVER=0
   * turns it off).
   */
  server?: string;
  /**
   * Said in the normal output when kustomize is not the one fluxgate ships (a warning when its
   * version differs from the one Flux embeds: what Flux applies may render differently).
   */
  notice?: { severity: 'warning' | 'info'; message: string };
}

export type Env = Readonly<Record<string, string | undefined>>;

/** The kustomize version Flux embeds (tools/versions.env, the pin the platform package is built with). */
export function fluxKustomizeVersion(): string {
  return locatePinnedTool('kustomize', {})?.version ?? 'v5.8.1';
}

/** How to get a kustomize, in words that work in the user's repository (not only in a clone of fluxgate). */
function installHint(bundled: BundledLookup | undefined): string {
  const name = bundled && 'missing' in bundled ? bundled.missing : `${MAIN_PACKAGE}-<platform>`;
  const version = fluxgateVersion();
  const clone = existsSync(packageFile('scripts/install-tools.sh'))
    ? '; in a clone of fluxgate: `npm run tools`'
    : '';
  return (
    `install fluxgate's kustomize for this platform with \`npm i -D ${name}@${version}\` (or reinstall ` +
    `${MAIN_PACKAGE} without --omit=optional / --no-optional), put kustomize >= ${MIN_KUSTOMIZE_VERSION} on ` +
    `PATH, or name one with --kustomize-bin / kustomize.bin in .fluxgate.yaml${clone}`
  );
}

/** Why the platform package's kustomize is not used. */
function whyNotBundled(bundled: BundledLookup): string {
  if ('found' in bundled) return '';
  switch (bundled.reason) {
    case 'unsupported':
      return `fluxgate ships no kustomize for ${process.platform}-${process.arch}`;
    case 'version-mismatch':
      return `${bundled.missing} is not at fluxgate's version ${fluxgateVersion()}`;
    case 'no-binary':
      return `${bundled.missing} holds no kustomize-server`;
    default:
      return `${bundled.missing} is not installed`;
  }
}

const FROM: Record<KustomizeCommand['from'], string> = {
  flag: '--kustomize-bin',
  config: 'kustomize.bin',
  pinned: 'the tools cache',
  bundled: 'the platform package',
  path: 'PATH',
  kubectl: 'kubectl',
};

/** What the normal output says about a kustomize that is not the one fluxgate ships. */
function fallbackNotice(command: KustomizeCommand, why: string): KustomizeCommand {
  const flux = fluxKustomizeVersion();
  const what = command.kind === 'kubectl' ? `${command.file} kustomize` : command.file;
  const base = `kustomize ${command.version} from ${FROM[command.from]} (${what})${why ? `, because ${why}` : ''}`;
  if (compareVersions(command.version, flux) === 0)
    return { ...command, notice: { severity: 'info', message: base } };
  return {
    ...command,
    notice: {
      severity: 'warning',
      message: `${base}: Flux builds with kustomize ${flux}, so what it applies may differ from what was checked`,
    },
  };
}

function run(file: string, args: string[], env: Env): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, args, { env: env as NodeJS.ProcessEnv, timeout: 20_000 }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    );
  });
}

/** `v5.8.1`, from `kustomize version` ("v5.8.1", or "{Version:kustomize/v4.5.7 ...}" in v4). */
export function parseKustomizeVersion(text: string): string | undefined {
  const match = /v?(\d+\.\d+\.\d+)/.exec(text);
  return match ? `v${match[1]}` : undefined;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function onPath(name: string, env: Env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * `kustomize version`, remembered in the cache directory by the binary's path, size and
 * modification time (a process start saved on every run).
 */
async function kustomizeVersion(file: string, env: Env, cacheDir?: string): Promise<string | undefined> {
  const stat = statSync(file, { throwIfNoEntry: false });
  const memo =
    cacheDir && stat
      ? path.join(cacheDir, 'tools', contentKey('kustomize version', file, `${stat.size}:${stat.mtimeMs}`))
      : undefined;
  if (memo) {
    try {
      const known = parseKustomizeVersion(unseal(readFileSync(memo))?.toString('utf8') ?? '');
      if (known) return known;
    } catch {
      // not known yet
    }
  }
  const out = await run(file, ['version'], env);
  const version = out === undefined ? undefined : parseKustomizeVersion(out);
  if (memo && version) {
    try {
      makePrivateDir(path.dirname(memo));
      const temp = `${memo}.${process.pid}.tmp`;
      writeFileSync(temp, seal(Buffer.from(version)), { mode: 0o600 });
      renameSync(temp, memo);
    } catch {
      // The next run asks again.
    }
  }
  return version;
}

async function kubectlKustomizeVersion(file: string, env: Env): Promise<string | undefined> {
  const out = await run(file, ['version', '--client', '-o', 'json'], env);
  if (out === undefined) return undefined;
  try {
    const version = (JSON.parse(out) as { kustomizeVersion?: string }).kustomizeVersion;
    return version ? parseKustomizeVersion(version) : undefined;
  } catch {
    return undefined;
  }
}

function checked(command: KustomizeCommand, bundled?: BundledLookup): KustomizeCommand {
  if (compareVersions(command.version, MIN_KUSTOMIZE_VERSION) < 0)
    throw new ToolError(
      `kustomize ${command.version} (${command.file}) is older than ${MIN_KUSTOMIZE_VERSION}; ${installHint(bundled)}`,
    );
  return command;
}

/**
 * Chooses kustomize in the documented order: `--kustomize-bin` / config `kustomize.bin`, the pinned
 * tools cache (a clone of fluxgate, built from its own sources), the platform package (what users
 * get from npm), `kustomize` on PATH, `kubectl kustomize`. A named binary that does not work is an
 * error rather than a silent fallback; any other fallback is said in the normal output
 * (`notice`). Missing or too old: ToolError (exit 2) saying how to get one.
 */
export async function selectKustomize(options: {
  env: Env;
  cwd: string;
  flag?: string | undefined;
  configBin?: string | undefined;
  root?: string;
  /** fluxgate's cache directory: the pinned kustomize's version is remembered there. */
  cacheDir?: string | undefined;
}): Promise<KustomizeCommand> {
  const { env } = options;
  const named = options.flag ?? options.configBin;
  if (named) {
    const from = options.flag ? 'flag' : 'config';
    // A config path is relative to the repository root; a flag to the working directory.
    const base = options.flag ? options.cwd : (options.root ?? options.cwd);
    const file = named.includes('/') ? path.resolve(base, named) : (onPath(named, env) ?? named);
    const isKubectl = path.basename(file).startsWith('kubectl');
    const version = isKubectl ? await kubectlKustomizeVersion(file, env) : await kustomizeVersion(file, env);
    if (!version)
      throw new ToolError(
        `kustomize ${named} (${from}) does not run or print a version; ${installHint(undefined)}`,
      );
    const command = checked({
      file,
      prefix: isKubectl ? ['kustomize'] : ['build'],
      kind: isKubectl ? 'kubectl' : 'kustomize',
      version,
      from,
    });
    return compareVersions(version, fluxKustomizeVersion()) === 0 ? command : fallbackNotice(command, '');
  }
  const pinned = locatePinnedTool('kustomize', env);
  if (pinned?.installed) {
    const version = await kustomizeVersion(pinned.path, env, options.cacheDir);
    const server =
      env.FLUXGATE_KUSTOMIZE_SERVER === '0' ? undefined : locateLocalTool('kustomize-server', env);
    if (version)
      return checked({
        file: pinned.path,
        prefix: ['build'],
        kind: 'kustomize',
        version,
        from: 'pinned',
        ...(server?.installed ? { server: server.path } : {}),
      });
  }
  // The platform package holds kustomize-server only (no kustomize CLI): builds always run in it.
  const bundled = findBundledTool('kustomize-server', packageFile(''), fluxgateVersion());
  if ('found' in bundled) {
    const file = bundled.found.path;
    const version = await kustomizeVersion(file, env, options.cacheDir);
    if (version)
      return checked({ file, prefix: ['build'], kind: 'kustomize', version, from: 'bundled', server: file });
  }
  const why = whyNotBundled(bundled);
  const local = onPath('kustomize', env);
  if (local) {
    const version = await kustomizeVersion(local, env);
    if (version)
      return fallbackNotice(
        checked({ file: local, prefix: ['build'], kind: 'kustomize', version, from: 'path' }, bundled),
        why,
      );
  }
  const kubectl = onPath('kubectl', env);
  if (kubectl) {
    const version = await kubectlKustomizeVersion(kubectl, env);
    if (version)
      return fallbackNotice(
        checked({ file: kubectl, prefix: ['kustomize'], kind: 'kubectl', version, from: 'kubectl' }, bundled),
        why,
      );
  }
  throw new ToolError(`no kustomize found (${why}); ${installHint(bundled)}`);
}
