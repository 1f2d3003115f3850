import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ToolError } from '../core/errors.js';

const run = promisify(execFile);

/** Runs the opa binary; a failure is a ToolError carrying opa's own message (file:line). */
export async function opa(bin: string, args: string[], cwd?: string): Promise<string> {
  try {
    const { stdout } = await run(bin, args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string; stdout?: string };
    if (e.code === 'ENOENT') {
      throw new ToolError(
        `opa not found at ${bin}: put opa on PATH (https://www.openpolicyagent.org/docs/#1-download-opa)`,
        {
          cause: error,
        },
      );
    }
    const detail = `${e.stderr ?? ''}${e.stdout ?? ''}`.trim() || e.message;
    throw new ToolError(`opa ${args[0]} failed: ${detail}`, { cause: error });
  }
}
