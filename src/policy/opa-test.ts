import { execFile } from 'node:child_process';
import { ToolError } from '../core/errors.js';
import { packageFile } from '../core/package-files.js';
import type { UserPolicyDir } from './user-policies.js';

export interface OpaTestRun {
  /** What was tested: `built-in policies` or the directory as given. */
  name: string;
  passed: boolean;
  /** opa's report. */
  output: string;
}

function run(bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : undefined) : 0;
      if (code === undefined) {
        const e = error as NodeJS.ErrnoException;
        reject(
          new ToolError(e.code === 'ENOENT' ? `opa not found at ${bin}` : `opa test: ${e.message}`, {
            cause: e,
          }),
        );
        return;
      }
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * `opa test` over the built-in library and each user directory (its own Rego version), one run
 * each. opa exits 2 when tests fail and 1 when the policies do not load or compile; the latter is
 * a ToolError (exit 2), with opa's file:line message.
 */
export async function opaTest(
  opaBin: string,
  dirs: readonly (UserPolicyDir & { name: string })[],
  options: { builtin: boolean; verbose?: boolean },
): Promise<OpaTestRun[]> {
  const targets = [
    ...(options.builtin
      ? [{ name: 'built-in policies', path: packageFile('policies'), ignore: ['dist'] }]
      : []),
    ...dirs.map((d) => ({ ...d, ignore: [] as string[] })),
  ];
  const runs: OpaTestRun[] = [];
  for (const t of targets) {
    const args = [
      'test',
      ...('regoVersion' in t && t.regoVersion === 'v0' ? ['--v0-compatible'] : []),
      ...(options.verbose ? ['-v'] : []),
      ...t.ignore.flatMap((i) => ['--ignore', i]),
      t.path,
    ];
    const { code, stdout, stderr } = await run(opaBin, args);
    const output = `${stdout}${stderr}`.trim();
    if (code !== 0 && code !== 2) throw new ToolError(`opa test ${t.name}: ${output}`);
    runs.push({ name: t.name, passed: code === 0, output });
  }
  return runs;
}
