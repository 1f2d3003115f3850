import path from 'node:path';
import { parseArgs } from 'node:util';
import { findRoot } from '../config/find-root.js';
import { loadConfig } from '../config/load-config.js';
import { UsageError } from '../core/errors.js';
import { locateOpa } from '../policy/locate-opa.js';
import { opaTest } from '../policy/opa-test.js';
import { userPolicyDirs } from '../policy/user-policy-dirs.js';
import { POLICY_HELP } from './help.js';
import { toolEnv } from './interrupt.js';
import type { CliIo } from './io.js';

function parse(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        root: { type: 'string' },
        config: { type: 'string', short: 'c' },
        verbose: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')}\nRun 'fluxgate policy --help' for usage.`,
    );
  }
}

/** A directory as the user would type it: relative below the working directory, else absolute. */
function displayDir(cwd: string, dir: string): string {
  const rel = path.relative(cwd, dir);
  if (rel === '') return '.';
  return rel.startsWith('..') || path.isAbsolute(rel) ? dir : rel.split(path.sep).join('/');
}

/** `fluxgate policy test [DIR...]`: `opa test` over the built-in library and the user's policies. */
export async function runPolicy(io: CliIo, args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '-h' || sub === '--help' || sub === 'help') {
    io.stdout.write(POLICY_HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'test')
    throw new UsageError(`unknown policy command "${sub}"\nRun 'fluxgate policy --help' for usage.`);
  const { values, positionals } = parse(rest);
  if (values.help) {
    io.stdout.write(POLICY_HELP);
    return 0;
  }
  const root = values.root ? path.resolve(io.cwd, values.root) : (findRoot(io.cwd) ?? io.cwd);
  const { config } = loadConfig(root, values.config && path.resolve(io.cwd, values.config));
  const dirs = userPolicyDirs(config.policies, root, positionals, io.cwd).map((d) => ({
    ...d,
    name: displayDir(io.cwd, d.path),
  }));
  const opaBin = locateOpa(toolEnv(io), 'fluxgate policy test');
  const runs = await opaTest(opaBin, dirs, { builtin: true, verbose: values.verbose === true });
  for (const run of runs) {
    io.stdout.write(`== ${run.name}\n${run.output === '' ? 'no tests' : run.output}\n`);
    io.stdout.write(`${run.passed ? 'ok' : 'FAILED'}: ${run.name}\n\n`);
  }
  return runs.every((r) => r.passed) ? 0 : 1;
}
