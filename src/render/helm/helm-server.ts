import { type AskOptions, JsonLineServer } from '../tool-server/json-line-server.js';

/**
 * A pool of tools/helm-server processes answering one JSON request at a time each (the protocol
 * of tools/kustomize-server): a timeout or Ctrl-C kills the process, and the next request starts a
 * new one. Callers bound concurrency.
 */
export class HelmServer {
  private readonly processes: JsonLineServer;

  constructor(
    readonly file: string,
    env: Readonly<Record<string, string | undefined>>,
  ) {
    this.processes = new JsonLineServer(file, env);
  }

  async ask(request: Record<string, unknown>, options: AskOptions): Promise<Record<string, unknown>> {
    const outcome = await this.processes.ask(request, options);
    if ('answer' in outcome) return outcome.answer;
    if ('aborted' in outcome) return { error: 'interrupted', stage: 'server', aborted: true };
    if ('timedOut' in outcome)
      return {
        error: `no answer within ${Math.round(options.timeoutMs / 1000)} s`,
        stage: 'server',
        timedOut: true,
      };
    const said = firstWords(outcome.stderr);
    return { error: `stopped (${outcome.stopped})${said ? `: ${said}` : ''}`, stage: 'server' };
  }

  close(): void {
    this.processes.close();
  }
}

/**
 * What a dying helm-server said, on one line for a finding: a Go panic's message, else its first
 * line (a goroutine dump or a long log is not a message).
 */
function firstWords(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.find((l) => /^(panic|fatal error):/.test(l)) ?? lines[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}...` : line;
}
