import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { guessEnvironment } from '../../src/init/detect.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

describe('fluxgate init', () => {
  it('writes a valid, commented config with the clusters and their environments', async () => {
    const root = tempRepo({
      'clusters/prod-aks/flux-system/gotk-sync.yaml': '',
      'clusters/dev-aks/flux-system/gotk-sync.yaml': '',
      'clusters/hub/flux-system/gotk-sync.yaml': '',
    });
    const run = await runCli(['init'], { cwd: root });
    expect(run).toMatchObject({ code: 0, stdout: 'wrote .fluxgate.yaml\n' });
    const text = readFileSync(path.join(root, '.fluxgate.yaml'), 'utf8');
    expect(text).toContain('# ');
    const { config } = loadConfig(root);
    expect(config.clusters).toEqual({
      'dev-aks': { environment: 'development' },
      hub: {},
      'prod-aks': { environment: 'production' },
    });
    const check = await runCli(['validate'], { cwd: root });
    expect(check.code).toBe(0);
  });

  it('keeps an existing config unless --force', async () => {
    const root = tempRepo({ '.fluxgate.yaml': 'failLevel: warning\n' });
    const run = await runCli(['init'], { cwd: root });
    expect(run.stdout).toBe('kept .fluxgate.yaml (exists; --force overwrites)\n');
    expect(readFileSync(path.join(root, '.fluxgate.yaml'), 'utf8')).toBe('failLevel: warning\n');
    await runCli(['init', '--force'], { cwd: root });
    expect(readFileSync(path.join(root, '.fluxgate.yaml'), 'utf8')).toContain('clusterRoots');
  });

  it('--hooks husky writes lint-staged and husky configuration and a minimal package.json', async () => {
    const root = tempRepo({});
    const run = await runCli(['init', '--hooks', 'husky'], { cwd: root });
    expect(run.code).toBe(0);
    // husky is not installed here: the next step installs it and activates the hook.
    expect(run.stdout).toContain('next: npm i -D fluxgate-cli husky lint-staged && npx husky');
    const config = (await import(path.join(root, '.lintstagedrc.mjs'))).default;
    expect(Object.keys(config)).toEqual(['*']);
    // A function: lint-staged appends no file names; fluxgate reads the staged change itself.
    expect(config['*'](['/abs/a.yaml'])).toBe('fluxgate validate --staged');
    expect(readFileSync(path.join(root, '.husky/pre-commit'), 'utf8')).toContain(
      'lint-staged --diff-filter=ACMRD',
    );
    expect(statSync(path.join(root, '.husky/pre-commit')).mode & 0o111).not.toBe(0);
    expect(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))).toMatchObject({
      private: true,
      scripts: { prepare: 'husky' },
    });
  });

  it('adds "prepare": "husky" to an existing package.json, keeping the rest', async () => {
    const root = tempRepo({});
    writeFileSync(path.join(root, 'package.json'), '{\n    "name": "mine",\n    "devDependencies": {}\n}\n');
    const run = await runCli(['init', '--hooks', 'husky'], { cwd: root });
    expect(readFileSync(path.join(root, 'package.json'), 'utf8')).toBe(
      '{\n    "name": "mine",\n    "devDependencies": {},\n    "scripts": {\n        "prepare": "husky"\n    }\n}\n',
    );
    expect(run.stdout).toContain('wrote package.json ("prepare": "husky")');
    expect(existsSync(path.join(root, '.husky/pre-commit'))).toBe(true);
  });

  it('leaves a prepare script of its own alone and says what to add', async () => {
    const root = tempRepo({});
    writeFileSync(path.join(root, 'package.json'), '{"scripts":{"prepare":"make"}}\n');
    const run = await runCli(['init', '--hooks', 'husky'], { cwd: root });
    expect(readFileSync(path.join(root, 'package.json'), 'utf8')).toBe('{"scripts":{"prepare":"make"}}\n');
    expect(run.stdout).toContain('next: add husky to the "prepare" script of package.json ("make && husky")');
  });

  it('rejects an unknown hook manager with exit 2', async () => {
    const run = await runCli(['init', '--hooks', 'lefthook'], { cwd: tempRepo({}) });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('fluxgate: --hooks lefthook: expected husky\n');
  });
});

describe('guessEnvironment', () => {
  it.each([
    ['prod-aks', 'production'],
    ['aks-prd-weu', 'production'],
    ['staging', 'staging'],
    ['dev_cluster', 'development'],
    ['hub', undefined],
    ['productive', undefined],
  ])('%s → %s', (name, environment) => {
    expect(guessEnvironment(name)).toBe(environment);
  });
});
