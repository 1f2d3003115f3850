import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { killGroup } from '../kustomize/run-process.js';

/** How a request to a helper process ended. */
export type LineOutcome =
  | { answer: Record<string, unknown> }
  /** The process died (or could not start): why, and the end of what it wrote on stderr. */
  | { stopped: string; stderr: string }
  | { timedOut: true }
  | { aborted: true };

export interface AskOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

interface Pending {
  id: number;
  resolve(outcome: LineOutcome): void;
  timer: NodeJS.Timeout;
  onAbort(): void;
  signal?: AbortSignal | undefined;
}

/**
 * One helper process of tools/ (kustomize-server, helm-server) answering one JSON request per line
 * at a time, matched by `id`. A timeout or Ctrl-C kills its process group; the next request starts
 * a new process. It runs in its own process group (a remote base's git dies with it) and exits when
 * its input ends or (Linux) when this process dies: FLUXGATE_PARENT_PID lets it check it still has
 * its parent once it has asked the kernel to be killed with it.
 */
class JsonLineProcess {
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
      env: { ...this.env, FLUXGATE_PARENT_PID: String(process.pid) } as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    this.stderrTail = '';
    child.stderr.on('data', (chunk: Buffer) => {
      // The tool's own warnings go here; only the end matters, when the process dies.
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4000);
    });
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => this.answer(line));
    const gone = (why: string) => {
      // A process killed on purpose has already answered its request.
      if (this.child !== child) return;
      this.child = undefined;
      this.finish({ stopped: why, stderr: this.stderrTail });
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
    if (this.pending && message.id === this.pending.id) this.finish({ answer: message });
  }

  private finish(outcome: LineOutcome): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.signal?.removeEventListener('abort', pending.onAbort);
    pending.resolve(outcome);
  }

  ask(request: Record<string, unknown>, options: AskOptions): Promise<LineOutcome> {
    return new Promise((resolve) => {
      if (options.signal?.aborted) {
        resolve({ aborted: true });
        return;
      }
      this.child ??= this.start();
      const id = ++this.nextId;
      const stop = (outcome: LineOutcome) => {
        if (this.pending?.id !== id) return;
        const child = this.child;
        this.child = undefined;
        killGroup(child?.pid);
        this.finish(outcome);
      };
      const onAbort = () => stop({ aborted: true });
      this.pending = {
        id,
        resolve,
        timer: setTimeout(() => stop({ timedOut: true }), options.timeoutMs),
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
    // It exits when its input ends; a stuck one is killed.
    setTimeout(() => killGroup(child.pid), 2000).unref();
  }
}

/**
 * A pool of one tool's helper processes, one request each at a time. Callers bound concurrency: a
 * process is taken for each request and given back after.
 */
export class JsonLineServer {
  private readonly idle: JsonLineProcess[] = [];
  private readonly all: JsonLineProcess[] = [];

  constructor(
    readonly file: string,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  async ask(request: Record<string, unknown>, options: AskOptions): Promise<LineOutcome> {
    let process = this.idle.pop();
    if (!process) {
      process = new JsonLineProcess(this.file, this.env);
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
