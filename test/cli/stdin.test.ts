import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { tempRepo } from '../helpers/temp-repo.js';

async function runWithStdin(argv: string[], cwd: string, input: string) {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    cwd,
    env: { NO_COLOR: '1' },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from([Buffer.from(input)]),
  });
  return { code, stdout, stderr };
}

const dup = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: one\n  k: two\n';
const good = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';

describe('validate --stdin', () => {
  it('checks the buffer as if it were the named file in its repository', async () => {
    const root = tempRepo({
      '.fluxgate.yaml': 'rules:\n  yaml/duplicate-key: warning\n',
      'apps/a.yaml': good,
    });
    const run = await runWithStdin(
      [
        'validate',
        '--stdin',
        '--stdin-filename',
        'apps/a.yaml',
        '--format',
        'json',
        '--fail-level',
        'warning',
      ],
      root,
      dup,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    // The repo's config applies (severity warning) and the path is repo-relative.
    expect(JSON.parse(run.stdout).diagnostics).toMatchObject([
      { ruleId: 'yaml/duplicate-key', severity: 'warning', file: 'apps/a.yaml', line: 7 },
    ]);
  });

  it('works for a file that does not exist on disk yet, from another directory', async () => {
    const root = tempRepo({ 'apps/a.yaml': good });
    const run = await runWithStdin(
      ['validate', '--stdin', '--stdin-filename', path.join(root, 'apps/new.yaml'), '--format', 'json'],
      '/',
      dup,
    );
    expect(JSON.parse(run.stdout).diagnostics).toMatchObject([{ file: 'apps/new.yaml', line: 7 }]);
  });

  it('a clean buffer exits 0 even when the file on disk is broken', async () => {
    const root = tempRepo({ 'a.yaml': dup });
    const run = await runWithStdin(['validate', '--stdin', '--stdin-filename', 'a.yaml'], root, good);
    expect(run.code).toBe(0);
  });

  it('--stdin without --stdin-filename is a usage error', async () => {
    const run = await runWithStdin(['validate', '--stdin'], tempRepo({}), good);
    expect(run).toMatchObject({ code: 2, stderr: expect.stringMatching(/--stdin needs --stdin-filename/) });
  });
});
