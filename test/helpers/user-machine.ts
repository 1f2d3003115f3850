// A user's machine, as far as the install recipes can tell: PATH without Go, kubectl or
// kustomize (a directory of links to everything else on PATH), fluxgate's packed tarballs served
// by a local npm registry under their real names, and git, npm, pre-commit as they are.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type LocalRegistry, startLocalRegistry } from './local-registry.js';

const PROJECT = path.resolve(import.meta.dirname, '../..');
/** What a user of the npm package does not have. */
export const ABSENT = ['go', 'gofmt', 'kubectl', 'kustomize'];

/** A directory of links to every command on PATH but `absent`. */
export function pathWithout(absent: readonly string[], dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const from of (process.env.PATH ?? '').split(path.delimiter)) {
    let names: string[];
    try {
      names = readdirSync(from);
    } catch {
      continue;
    }
    for (const name of names) {
      if (absent.includes(name) || existsSync(path.join(dir, name))) continue;
      symlinkSync(path.join(from, name), path.join(dir, name));
    }
  }
  return dir;
}

export interface UserMachine {
  /** The packed tarballs (this platform's package and the main one). */
  tarballs: string;
  registry: LocalRegistry;
  /** The environment every recipe command runs in. */
  env: NodeJS.ProcessEnv;
  /** Runs a shell command line as written in a document. */
  sh(command: string, cwd: string, extra?: NodeJS.ProcessEnv): Run;
  close(): Promise<void>;
}

export interface Run {
  code: number;
  output: string;
  stdout: string;
  stderr: string;
}

export function toRun(r: SpawnSyncReturns<string>): Run {
  return {
    code: r.status ?? -1,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    output: `${r.stdout ?? ''}${r.stderr ?? ''}`,
  };
}

/**
 * Packs fluxgate for this platform (scripts/pack-all.mjs --host, the tools cache's
 * kustomize-server, dist/ as built by `npm test`'s pretest), serves it, and sets up the environment.
 */
export async function userMachine(): Promise<UserMachine> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-user-'));
  const tarballs = path.join(work, 'packages');
  const packed = spawnSync(
    process.execPath,
    [path.join(PROJECT, 'scripts/pack-all.mjs'), tarballs, '--host', '--no-build'],
    { encoding: 'utf8' },
  );
  if (packed.status !== 0) throw new Error(`pack failed:\n${packed.stderr}`);
  const registry = await startLocalRegistry(tarballs);
  const env: NodeJS.ProcessEnv = {
    PATH: pathWithout(ABSENT, path.join(work, 'bin')),
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    // npm as configured on the machine (its cache included), but resolving from the local registry.
    npm_config_registry: registry.url,
    npm_config_update_notifier: 'false',
    // pre-commit's environments and fluxgate's cache, private to the test.
    PRE_COMMIT_HOME: path.join(work, 'pre-commit'),
    FLUXGATE_CACHE_DIR: path.join(work, 'fluxgate-cache'),
    FLUXGATE_TOOLS_DIR: path.join(work, 'no-tools'),
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.invalid',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.invalid',
  };
  return {
    tarballs,
    registry,
    env,
    sh: (command, cwd, extra = {}) =>
      toRun(
        spawnSync('sh', ['-c', command], {
          cwd,
          encoding: 'utf8',
          env: { ...env, ...extra },
          timeout: 300_000,
        }),
      ),
    close: async () => {
      await registry.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
