import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { killGroup, type ProcessResult } from './run-process.js';

interface Pending {
  id: number;
  resolve(result: ProcessResult): void;
  timer: NodeJS.Timeout;
  onAbort(): void;
  signal?: AbortSignal | undefined;
}

/**
 * One tools/kustomize-server process: `kustomize build` with the pinned kustomize API for one
 * directory after another, answering in the shape of a kustomize CLI run (exit code, YAML on
 * stdout, `Error: ...` on stderr), so a build reads the same either way. It serves one request at a
 * time; a timeout or Ctrl-C kills it (the next request starts a new one).
 */
class ServerProcess {
  private child: ChildProcessWithoutNullStreams | undefined;
  private pending: Pending | undefined;
  private nextId = 0;
  private stderrTail = '';

  constructor(
    private readonly file: string,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  private start(): ChildProcessWithoutNullStreams {
    // Its own process group, as a CLI build: a remote base's git dies with it. It exits when its
    // input ends or (Linux) when this process dies: FLUXGATE_PARENT_PID lets it check it still has
    // its parent once it has asked the kernel to be killed with it.
    const child = spawn(this.file, [], {
      env: { ...this.env, FLUXGATE_PARENT_PID: String(process.pid) } as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    this.stderrTail = '';
    child.stderr.on('data', (chunk: Buffer) => {
      // kustomize's own warnings go here; only the end matters, when the process dies.
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4000);
    });
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => this.answer(line));
    const gone = (message: string) => {
      // A process killed on purpose has already answered its request.
      if (this.child !== child) return;
      this.child = undefined;
      this.finish({
        code: 1,
        stdout: '',
        stderr: `Error: kustomize build server stopped: ${message}\n${this.stderrTail}`,
        timedOut: false,
        aborted: false,
      });
    };
    child.on('error', (error) => gone(error.message));
    child.on('exit', (code, signal) => gone(signal ? `killed by ${signal}` : `exit code ${code}`));
    child.stdin.on('error', () => {
      // An EPIPE after the process died: 'exit' reports it.
    });
    return child;
  }

  private answer(line: string): void {
    let message: { id?: number; yaml?: string; error?: string };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      return;
    }
    if (!this.pending || message.id !== this.pending.id) return;
    this.finish(
      message.error !== undefined
        ? { code: 1, stdout: '', stderr: `Error: ${message.error}\n`, timedOut: false, aborted: false }
        : { code: 0, stdout: message.yaml ?? '', stderr: '', timedOut: false, aborted: false },
    );
  }

  private finish(result: ProcessResult): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.signal?.removeEventListener('abort', pending.onAbort);
    pending.resolve(result);
  }

  private kill(): void {
    const child = this.child;
    this.child = undefined;
    killGroup(child?.pid);
  }

  build(
    dir: string,
    options: { timeoutMs: number; signal?: AbortSignal | undefined },
  ): Promise<ProcessResult> {
    return new Promise((resolve) => {
      if (options.signal?.aborted) {
        resolve({ code: null, stdout: '', stderr: '', timedOut: false, aborted: true });
        return;
      }
      this.child ??= this.start();
      const id = ++this.nextId;
      const stop = (why: 'timedOut' | 'aborted') => {
        const pending = this.pending;
        if (pending?.id !== id) return;
        this.pending = undefined;
        clearTimeout(pending.timer);
        pending.signal?.removeEventListener('abort', pending.onAbort);
        this.kill();
        resolve({
          code: null,
          stdout: '',
          stderr: '',
          timedOut: why === 'timedOut',
          aborted: why === 'aborted',
        });
      };
      const onAbort = () => stop('aborted');
      this.pending = {
        id,
        resolve,
        timer: setTimeout(() => stop('timedOut'), options.timeoutMs),
        onAbort,
        signal: options.signal,
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.child.stdin.write(`${JSON.stringify({ id, dir })}\n`);
    });
  }

  close(): void {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    child.removeAllListeners('exit');
    child.stdin.end();
    // It exits when its input ends; a stuck one is killed.
    setTimeout(() => killGroup(child.pid), 2000).unref();
  }
}

/**
 * A pool of kustomize-server processes, one request each at a time. Callers bound concurrency
 * (the renderer's pool): a process is taken for each build and given back after.
 */
export class BuildServer {
  private readonly idle: ServerProcess[] = [];
  private readonly all: ServerProcess[] = [];

  constructor(
    readonly file: string,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  async build(
    dir: string,
    options: { timeoutMs: number; signal?: AbortSignal | undefined },
  ): Promise<ProcessResult> {
    let server = this.idle.pop();
    if (!server) {
      server = new ServerProcess(this.file, this.env);
      this.all.push(server);
    }
    try {
      return await server.build(dir, options);
    } finally {
      this.idle.push(server);
    }
  }

  close(): void {
    for (const server of this.all) server.close();
    this.all.length = 0;
    this.idle.length = 0;
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
