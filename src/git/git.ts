import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ToolError } from '../core/errors.js';

const run = promisify(execFile);

/** Runs git in `cwd`; a failure is a ToolError naming the command and git's own message. */
export async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new ToolError('git is not installed or not on PATH', { cause: error });
    const detail = (e.stderr ?? e.message).trim().split('\n')[0];
    throw new ToolError(`git ${args[0]} failed in ${cwd}: ${detail}`, { cause: error });
  }
}

/** The commit `ref` names, or undefined when it names none (or git cannot say). */
export async function commitOf(root: string, ref: string): Promise<string | undefined> {
  try {
    return (await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim() || undefined;
  } catch {
    return undefined;
  }
}
