import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { tempDir } from './helpers.js';

const WIDGET = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n';

describe('fluxgate validate: schema flags', () => {
  it('a kind without a schema warns (exit 0); --require-schemas makes it an error (exit 1)', async () => {
    const root = tempRepo({ 'w.yaml': WIDGET });
    const env = { XDG_CACHE_HOME: tempDir() };
    const warn = await runCli(['validate', '--offline', '--format', 'json'], { cwd: root, env });
    expect(warn.code).toBe(0);
    expect(JSON.parse(warn.stdout).diagnostics).toEqual([
      expect.objectContaining({ ruleId: 'schema/missing', severity: 'warning', line: 2, column: 7 }),
    ]);
    const strict = await runCli(['validate', '--offline', '--require-schemas', '--format', 'json'], {
      cwd: root,
      env,
    });
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout).diagnostics[0]).toMatchObject({
      ruleId: 'schema/missing',
      severity: 'error',
    });
  });

  it('--kubernetes-version and --flux-version choose the API tables', async () => {
    const root = tempRepo({
      'pdb.yaml':
        'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: p\nspec:\n  minAvailable: 1\n',
    });
    const env = { XDG_CACHE_HOME: tempDir() };
    const now = await runCli(['validate', '--offline', '--format', 'json'], { cwd: root, env });
    expect(JSON.parse(now.stdout).diagnostics).toEqual([
      expect.objectContaining({
        ruleId: 'schema/removed-api',
        message: expect.stringContaining('removed in Kubernetes 1.25'),
      }),
    ]);
    const old = await runCli(['validate', '--offline', '--kubernetes-version', '1.24', '--format', 'json'], {
      cwd: root,
      env,
    });
    expect(JSON.parse(old.stdout).diagnostics.map((d: { ruleId: string }) => d.ruleId)).not.toContain(
      'schema/removed-api',
    );
  });
});
