import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const BROKEN = path.resolve(import.meta.dirname, '../../examples/aks-fleet-broken');

async function rules(cwd: string, ...args: string[]) {
  const run = await runCli(['validate', '-f', 'json', '--no-cache', ...args], { cwd, env: process.env });
  const json = JSON.parse(run.stdout || '{"diagnostics":[]}') as { diagnostics: { source: string }[] };
  return { code: run.code, stderr: run.stderr, sources: new Set(json.diagnostics.map((d) => d.source)) };
}

describe('--only / --skip', () => {
  it('runs every stage by default, and only the chosen ones with --only', async () => {
    const all = await rules(BROKEN);
    expect([...all.sources]).toEqual(expect.arrayContaining(['schema', 'policy', 'refs', 'kustomize']));
    const schema = await rules(BROKEN, '--only', 'render,schema');
    expect(schema.sources.has('schema')).toBe(true);
    expect(schema.sources.has('policy')).toBe(false);
    expect(schema.sources.has('refs')).toBe(false);
  });

  it('--skip leaves the named stages out', async () => {
    const skipped = await rules(BROKEN, '--skip', 'policy', '--skip', 'refs');
    expect(skipped.sources.has('schema')).toBe(true);
    expect(skipped.sources.has('policy')).toBe(false);
    expect(skipped.sources.has('refs')).toBe(false);
  });

  it('without render, manifests are checked as written (pre-rendered output)', async () => {
    const repo = tempRepo({
      'out/app.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  replicas: "two"\n',
      'out/kustomization.yaml': 'resources: [missing.yaml]\n',
    });
    const run = await rules(repo, '--only', 'schema');
    // The broken kustomization is not built (no kustomize finding); the Deployment is checked.
    expect([...run.sources]).toEqual(['schema']);
    expect(run.code).toBe(1);
  });

  it('an unknown stage or both flags at once is a usage error (exit 2)', async () => {
    const unknown = await runCli(['validate', '--only', 'render,lint'], { cwd: BROKEN });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--only lint: expected one of render, schema, policy, refs, dry-run');
    const both = await runCli(['validate', '--only', 'schema', '--skip', 'policy'], { cwd: BROKEN });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--only and --skip exclude each other');
  });
});
