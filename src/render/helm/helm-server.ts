import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { killGroup } from '../kustomize/run-process.js';

interface Pending {
  id: number;
  resolve(answer: Record<string, unknown>): void;
  timer: NodeJS.Timeout;
  onAbort(): void;
  signal?: AbortSignal | undefined;
}

/** Why a request got no answer from Helm itself. */
export type HelmServerFailure = { error: string; stage: 'server' };

/**
 * One tools/helm-server process answering one JSON request at a time (the protocol of
 * tools/kustomize-server, see build-server.ts): a timeout or Ctrl-C kills it, and the next request
 * starts a new one.
 */
class HelmProcess {
  private child: ChildProcessWithoutNullStreams | undefined;
  private pending: Pending | undefined;
  private nextId = 0;
  private stderrTail = '';

  constructor(
    private readonly file: string,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  private start(): ChildProcessWithoutNullStreams {
    const child = spawn(this.file, [], {
      // It exits when its input ends or (Linux) when this process dies (build-server.ts).
      env: { ...this.env, FLUXGATE_PARENT_PID: String(process.pid) } as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    this.stderrTail = '';
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4000);
    });
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => this.answer(line));
    const gone = (message: string) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.finish({ error: `helm-server stopped: ${message}\n${this.stderrTail}`.trim(), stage: 'server' });
    };
    child.on('error', (error) => gone(error.message));
    child.on('exit', (code, signal) => gone(signal ? `killed by ${signal}` : `exit code ${code}`));
    child.stdin.on('error', () => {
      // An EPIPE after the process died: 'exit' reports it.
    });
    return child;
  }

  private answer(line: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    if (this.pending && message.id === this.pending.id) this.finish(message);
  }

  private finish(answer: Record<string, unknown>): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.signal?.removeEventListener('abort', pending.onAbort);
    pending.resolve(answer);
  }

  ask(
    request: Record<string, unknown>,
    options: { timeoutMs: number; signal?: AbortSignal | undefined },
  ): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      if (options.signal?.aborted) {
        resolve({ error: 'interrupted', stage: 'server', aborted: true });
        return;
      }
      this.child ??= this.start();
      const id = ++this.nextId;
      const stop = (why: string, extra: Record<string, unknown>) => {
        if (this.pending?.id !== id) return;
        const pending = this.pending;
        this.pending = undefined;
        clearTimeout(pending.timer);
        pending.signal?.removeEventListener('abort', pending.onAbort);
        const child = this.child;
        this.child = undefined;
        killGroup(child?.pid);
        resolve({ error: why, stage: 'server', ...extra });
      };
      const onAbort = () => stop('interrupted', { aborted: true });
      this.pending = {
        id,
        resolve,
        timer: setTimeout(
          () => stop(`no answer within ${Math.round(options.timeoutMs / 1000)} s`, { timedOut: true }),
          options.timeoutMs,
        ),
        onAbort,
        signal: options.signal,
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.child.stdin.write(`${JSON.stringify({ ...request, id })}\n`);
    });
  }

  close(): void {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    child.removeAllListeners('exit');
    child.stdin.end();
    setTimeout(() => killGroup(child.pid), 2000).unref();
  }
}

/** A pool of helm-server processes; callers bound concurrency, each request takes an idle one. */
export class HelmServer {
  private readonly idle: HelmProcess[] = [];
  private readonly all: HelmProcess[] = [];

  constructor(
    readonly file: string,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  async ask(
    request: Record<string, unknown>,
    options: { timeoutMs: number; signal?: AbortSignal | undefined },
  ): Promise<Record<string, unknown>> {
    let process = this.idle.pop();
    if (!process) {
      process = new HelmProcess(this.file, this.env);
      this.all.push(process);
    }
    try {
      return await process.ask(request, options);
    } finally {
      this.idle.push(process);
    }
  }

  close(): void {
    for (const p of this.all) p.close();
    this.all.length = 0;
    this.idle.length = 0;
  }
}
