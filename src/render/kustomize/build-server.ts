import { type AskOptions, JsonLineServer } from '../tool-server/json-line-server.js';
import type { ProcessResult } from './run-process.js';

/**
 * A pool of tools/kustomize-server processes: `kustomize build` with the pinned kustomize API for
 * one directory after another, answering in the shape of a kustomize CLI run (exit code, YAML on
 * stdout, `Error: ...` on stderr), so a build reads the same either way. Each process serves one
 * request at a time; a timeout or Ctrl-C kills it (the next request starts a new one). Callers
 * bound concurrency (the renderer's pool).
 */
export class BuildServer {
  private readonly processes: JsonLineServer;

  constructor(
    readonly file: string,
    env: Readonly<Record<string, string | undefined>>,
  ) {
    this.processes = new JsonLineServer(file, env);
  }

  async build(dir: string, options: AskOptions): Promise<ProcessResult> {
    const outcome = await this.processes.ask({ dir }, options);
    const failed = { code: null, stdout: '', stderr: '', timedOut: false, aborted: false };
    if ('timedOut' in outcome) return { ...failed, timedOut: true };
    if ('aborted' in outcome) return { ...failed, aborted: true };
    if ('stopped' in outcome)
      return {
        ...failed,
        code: 1,
        stderr: `Error: kustomize build server stopped: ${outcome.stopped}\n${outcome.stderr}`,
      };
    const { error, yaml } = outcome.answer as { yaml?: string; error?: string };
    return error !== undefined
      ? { ...failed, code: 1, stderr: `Error: ${error}\n` }
      : { ...failed, code: 0, stdout: yaml ?? '' };
  }

  close(): void {
    this.processes.close();
  }
}

/** Pools kept between runs (the daemon), by binary and environment. */
const shared = new Map<string, BuildServer>();
let keepServers = false;

/** The environment variables a shell changes per directory or prompt: not a different build. */
const VOLATILE = new Set(['PWD', 'OLDPWD', 'SHLVL', '_']);

/** Keeps kustomize-server processes running between runs (`true`), or stops them all (`false`). */
export function keepBuildServers(keep: boolean): void {
  keepServers = keep;
  if (keep) return;
  for (const server of shared.values()) server.close();
  shared.clear();
}

/**
 * The kustomize-server pool of a run and how to let it go: a run's own (closed after the run), or,
 * with keepBuildServers, one shared with the runs after it that use the same binary and environment.
 */
export function acquireBuildServer(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
): { server: BuildServer; release(): void } {
  if (!keepServers) {
    const server = new BuildServer(file, env);
    return { server, release: () => server.close() };
  }
  const key = JSON.stringify([
    file,
    Object.entries(env)
      .filter(([k]) => !VOLATILE.has(k))
      .sort(),
  ]);
  let server = shared.get(key);
  if (!server) {
    server = new BuildServer(file, env);
    shared.set(key, server);
  }
  return { server, release: () => {} };
}
