import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with an injected environment (no colours unless asked). */
export async function runCli(
  argv: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; tty?: boolean },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    cwd: options.cwd,
    env: { NO_COLOR: '1', ...options.env },
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
  });
  return { code, stdout, stderr };
}
