import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { tempRepo } from '../helpers/temp-repo.js';

const overlay = {
  'apps/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - cm.yaml\n',
  'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
};

async function run(stderrTTY: boolean, env: Record<string, string> = {}, argv: string[] = []) {
  let stderr = '';
  const code = await main({
    argv: ['validate', ...argv],
    cwd: tempRepo(overlay),
    env: { NO_COLOR: '1', ...env },
    stdout: { write: () => true, isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: stderrTTY },
  });
  return { code, stderr };
}

describe('progress on stderr', () => {
  it('shows the stage and builds done/total on a terminal, then erases itself', async () => {
    const { code, stderr } = await run(true);
    expect(code).toBe(0);
    const erase = '\r\u001b[K';
    expect(stderr).toContain(`${erase}render `);
    expect(stderr).toMatch(/render \d+\/\d+…/);
    expect(stderr.endsWith('\r\u001b[K')).toBe(true);
  });

  it.each([
    ['a pipe', false, {}, []],
    ['CI', true, { CI: 'true' }, []],
    ['--quiet', true, {}, ['--quiet']],
  ] as const)('prints nothing in %s', async (_name, tty, env, argv) => {
    const { stderr } = await run(tty, env, [...argv]);
    expect(stderr).toBe('');
  });
});
