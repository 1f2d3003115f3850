// The README's recipes, run as written on a user's machine: fluxgate packed as it is published
// (the main package and this platform's package, scripts/pack-all.mjs), served under its real name
// by a local npm registry, installed with npm into scratch repositories, on a PATH without Go,
// kubectl or kustomize; real git, pre-commit, husky and lint-staged.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { codeBlock, commands } from '../helpers/readme-blocks.js';
import { toRun, type UserMachine, userMachine } from '../helpers/user-machine.js';

const PROJECT = path.resolve(import.meta.dirname, '../..');
// VS Code's variables in docs/editors/vscode-tasks.json, written as VS Code reads them.
// biome-ignore lint/suspicious/noTemplateCurlyInString: not a template, VS Code's syntax
const WORKSPACE_FOLDER = '${workspaceFolder}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: not a template, VS Code's syntax
const FILE = '${file}';
const VERSION = JSON.parse(readFileSync(path.join(PROJECT, 'package.json'), 'utf8')).version as string;
const PLATFORM_PACKAGE = `fluxgate-cli-${process.platform}-${process.arch}`;
const good = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: one\n';
const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: one\n  k: two\n';
const KUSTOMIZATION =
  'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - a.yaml\n';

/** A small Flux repository with one mistake: a kustomization (so kustomize runs) and a duplicate key. */
const SMALL_FLEET = {
  'clusters/dev/kustomization.yaml': KUSTOMIZATION.replace('a.yaml', '../../apps'),
  'apps/kustomization.yaml': KUSTOMIZATION,
  'apps/a.yaml': bad,
};

let machine: UserMachine;
const scratch: string[] = [];

/** A scratch git repository: the files given, committed. */
function repo(files: Record<string, string> | string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-recipe-'));
  scratch.push(dir);
  if (typeof files === 'string') cpSync(path.join(PROJECT, files), dir, { recursive: true });
  else
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
  sh('git init -q -b main && git add -A && git commit -q -m initial', dir, 0);
  return dir;
}

/** A command line as written, in the user's environment; `expected` checks the exit code. */
function sh(command: string, cwd: string, expected?: number, extra: NodeJS.ProcessEnv = {}) {
  const run = machine.sh(command, cwd, extra);
  if (expected !== undefined) expect(run.code, `${command}\n${run.output}`).toBe(expected);
  return run;
}

/** npm's own warnings (deprecations, install scripts, engines): a published package must cause none. */
const npmWarnings = (output: string) => output.split('\n').filter((l) => /^npm (warn|WARN|error)/.test(l));

beforeAll(async () => {
  machine = await userMachine();
}, 300_000);

afterAll(async () => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  await machine?.close();
});

describe('the packages', () => {
  it('are packed reproducibly; the main one holds only what runs, without scripts, with a repository', () => {
    const again = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-pack-again-'));
    scratch.push(again);
    const packed = spawnSync(
      process.execPath,
      [path.join(PROJECT, 'scripts/pack-all.mjs'), again, '--host', '--no-build'],
      { encoding: 'utf8' },
    );
    expect(packed.status, packed.stderr).toBe(0);
    const digest = (dir: string, file: string) =>
      createHash('sha256')
        .update(readFileSync(path.join(dir, file)))
        .digest('hex');
    const files = readdirSync(machine.tarballs).sort();
    expect(files).toEqual([`fluxgate-cli-${VERSION}.tgz`, `${PLATFORM_PACKAGE}-${VERSION}.tgz`]);
    for (const file of files) expect(digest(again, file), file).toBe(digest(machine.tarballs, file));

    const list = toRun(
      spawnSync('tar', ['tzf', path.join(machine.tarballs, files[0]!)], { encoding: 'utf8' }),
    ).stdout.split('\n');
    expect(list).toContain('package/dist/bundle/main.js');
    expect(list).toContain('package/tools/versions.env');
    expect(list.filter((f) => /\.go$|go\.mod$|\.map$|^package\/(test|scripts|src)\//.test(f))).toEqual([]);
    const manifest = JSON.parse(
      toRun(
        spawnSync('tar', ['xzf', path.join(machine.tarballs, files[0]!), '-O', 'package/package.json'], {
          encoding: 'utf8',
        }),
      ).stdout,
    );
    expect(manifest.name).toBe('fluxgate-cli');
    expect(manifest.bin).toEqual({ fluxgate: 'bin/fluxgate.js' });
    expect(manifest.scripts).toBeUndefined();
    expect(manifest.repository.url).toMatch(/github\.com/);
    expect(Object.keys(manifest.optionalDependencies)).toHaveLength(6);
    expect(manifest.optionalDependencies[PLATFORM_PACKAGE]).toBe(VERSION);
    // Packing compresses the platform package's Go binaries: 46 s in CI, past 60 s when busy.
  }, 300_000);
});

describe('README recipes, as written, without Go, kubectl or kustomize', () => {
  it('install: npm i -D fluxgate-cli, npx fluxgate validate; the fallback and the missing-kustomize error', {
    timeout: 300_000,
  }, () => {
    const dir = repo(SMALL_FLEET);
    const [install, validate, ...rest] = commands(codeBlock('README.md', '## Install in your repository'));
    expect([install, validate, rest]).toEqual(['npm i -D fluxgate-cli', 'npx fluxgate validate', []]);
    const installed = sh(install!, dir, 0);
    expect(npmWarnings(installed.output)).toEqual([]);
    expect(existsSync(path.join(dir, 'node_modules', PLATFORM_PACKAGE, 'bin/kustomize-server'))).toBe(true);
    // HelmReleases render with the Helm SDK the platform package ships.
    const helm = path.join(dir, 'node_modules', PLATFORM_PACKAGE, 'bin/helm-server');
    expect(sh(`${helm} version`, dir, 0).stdout.trim()).toBe('v4.2.4');
    const checked = sh(`${validate} --debug`, dir, 1);
    expect(checked.stdout).toContain('yaml/duplicate-key');
    expect(checked.stderr).toMatch(/\[debug\] kustomize v5\.8\.1 \(bundled\): .*node_modules\/fluxgate-cli-/);
    expect(checked.stderr).not.toContain('fluxgate: warning');

    // The VS Code task, as written: node runs the installed bin, no npx.
    const task = JSON.parse(readFileSync(path.join(PROJECT, 'docs/editors/vscode-tasks.json'), 'utf8'))
      .tasks[0];
    const args = (task.args as string[]).map((a) =>
      a.replace(WORKSPACE_FOLDER, dir).replace(FILE, path.join(dir, 'apps/a.yaml')),
    );
    const compact = toRun(spawnSync(task.command, args, { cwd: dir, encoding: 'utf8', env: machine.env }));
    expect(compact.stdout).toMatch(/^apps\/a\.yaml:7:3: error: .*\[yaml\/duplicate-key\]$/m);

    // Without the platform package (installed with --omit=optional), kubectl's kustomize is used,
    // and the normal output says so, with a warning: its kustomize is not the one Flux embeds.
    sh('npm install --omit=optional', dir, 0);
    expect(existsSync(path.join(dir, 'node_modules', PLATFORM_PACKAGE))).toBe(false);
    const withKubectl = sh(validate!, dir, 1, { PATH: process.env.PATH });
    expect(withKubectl.stderr).toMatch(
      new RegExp(
        `^fluxgate: warning: kustomize v[\\d.]+ from kubectl \\(\\S*kubectl kustomize\\), because ${PLATFORM_PACKAGE} is not installed: Flux builds with kustomize v5\\.8\\.1`,
        'm',
      ),
    );
    // With no kustomize at all: exit 2, naming a command that works here; it does.
    const none = sh(validate!, dir, 2);
    const fix = /`(npm i -D [^`]+)`/.exec(none.stderr)?.[1];
    expect(fix, none.stderr).toBe(`npm i -D ${PLATFORM_PACKAGE}@${VERSION}`);
    expect(none.stderr).not.toContain('npm run tools');
    sh(fix!, dir, 0);
    expect(sh(validate!, dir, 1).stderr).not.toContain('fluxgate: warning');
  });

  it('pre-commit: the repo: local hook from the README checks commits, deletions included, and reaches a running daemon', {
    timeout: 400_000,
  }, () => {
    const config = codeBlock('README.md', '### pre-commit');
    expect(config).toContain('repo: local');
    expect(config).toContain(`'fluxgate-cli@${VERSION}'`);
    const dir = repo({ 'apps/a.yaml': good, 'apps/kustomization.yaml': KUSTOMIZATION });
    writeFileSync(path.join(dir, '.pre-commit-config.yaml'), config);
    sh('git add .pre-commit-config.yaml && git commit -q -m hook', dir, 0);
    sh('pre-commit install', dir, 0);

    writeFileSync(path.join(dir, 'apps/a.yaml'), bad);
    const refused = sh('git add apps/a.yaml && git commit -m break', dir, 1);
    expect(refused.output).toContain('apps/a.yaml');
    expect(refused.output).toContain('yaml/duplicate-key');
    writeFileSync(path.join(dir, 'apps/a.yaml'), good.replace('one', 'two'));
    const accepted = sh('git add apps/a.yaml && git commit -m fix', dir, 0);
    expect(accepted.output).toMatch(/fluxgate\.*Passed/);
    // A commit that only deletes a file the kustomization lists.
    const deleted = sh('git rm -q apps/a.yaml && git commit -m delete', dir, 1);
    expect(deleted.output).toContain('kustomize/build-failed');
    expect(deleted.output).toContain('apps/kustomization.yaml');
    sh('git reset -q --hard', dir, 0);

    // The daemon as the README starts it (npx's own installation of the same version) answers
    // the hook's runs from pre-commit's installation.
    const section = readFileSync(path.join(PROJECT, 'README.md'), 'utf8').split('### pre-commit')[1]!;
    const start = /`(npx [^`]*fluxgate daemon start)`/.exec(section)?.[1];
    expect(start).toBe(`npx --yes --package fluxgate-cli@${VERSION} fluxgate daemon start`);
    // npx keeps what it installed per package spec: a cache of its own, so it installs this pack.
    const npxCache = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-npx-'));
    scratch.push(npxCache);
    const daemon = (sub: string) =>
      sh(start!.replace(/start$/, sub), dir, undefined, { npm_config_cache: npxCache });
    try {
      expect(daemon('start').code).toBe(0);
      writeFileSync(path.join(dir, 'apps/a.yaml'), good.replace('one', 'three'));
      sh('git add apps/a.yaml && git commit -q -m daemon', dir, 0);
      const status = daemon('status');
      expect(status.stdout).toContain(' 1 runs answered');
      expect(status.stdout).toMatch(
        /exit 0 in \d+ ms: validate --staged \(in \S+, from \S+\/pre-commit\/\S+\/fluxgate-cli\)/,
      );
    } finally {
      daemon('stop');
    }
  });

  it('husky + lint-staged: the hook is active after the documented steps and checks deletions', {
    timeout: 300_000,
  }, () => {
    const dir = repo({
      '.gitignore': 'node_modules/\n',
      'apps/a.yaml': good,
      'apps/kustomization.yaml': KUSTOMIZATION,
    });
    const steps = commands(codeBlock('README.md', '### husky + lint-staged'));
    expect(steps).toEqual(['npm i -D fluxgate-cli husky lint-staged', 'npx fluxgate init --hooks husky']);
    expect(npmWarnings(sh(steps[0]!, dir, 0).output)).toEqual([]);
    const init = sh(steps[1]!, dir, 0);
    expect(init.stdout).toContain('hook active: git config core.hooksPath is .husky/_');
    expect(sh('git config core.hooksPath', dir, 0).stdout.trim()).toBe('.husky/_');
    sh('git add -A && git commit -q -m hooks', dir, 0);

    writeFileSync(path.join(dir, 'apps/a.yaml'), bad);
    const refused = sh('git add apps/a.yaml && git commit -m break', dir, 1);
    expect(refused.output).toContain('yaml/duplicate-key');
    writeFileSync(path.join(dir, 'apps/a.yaml'), good.replace('one', 'two'));
    sh('git add apps/a.yaml && git commit -q -m fix', dir, 0);
    const deleted = sh('git rm -q apps/a.yaml && git commit -m delete', dir, 1);
    expect(deleted.output).toContain('kustomize/build-failed');
  });

  for (const [file, vars, ciEnv] of [
    [
      'docs/ci/azure-pipelines.yml',
      { '$(Agent.TempDirectory)': 'agent-temp', '$(Pipeline.Workspace)': 'workspace' },
      { TF_BUILD: 'True' },
    ],
    ['docs/ci/github-actions.yml', { '${{ runner.temp }}': 'runner-temp' }, { GITHUB_ACTIONS: 'true' }],
  ] as const)
    it(`CI: ${path.basename(file)} installs and runs fluxgate as written`, { timeout: 300_000 }, () => {
      const dir = repo('examples/aks-fleet-broken');
      const temp = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-agent-'));
      scratch.push(temp);
      const expand = (text: string) =>
        Object.entries(vars).reduce((out, [name, sub]) => out.replaceAll(name, path.join(temp, sub)), text);
      const doc = parse(readFileSync(path.join(PROJECT, file), 'utf8')) as {
        steps?: Record<string, unknown>[];
        jobs?: Record<string, { steps: Record<string, unknown>[] }>;
      };
      const steps = [...(doc.steps ?? []), ...Object.values(doc.jobs ?? {}).flatMap((j) => j.steps)]
        .map((s) => ({
          line: (s.script ?? s.run) as string | undefined,
          env: (s.env ?? {}) as Record<string, string>,
        }))
        .filter((s) => s.line?.includes('fluxgate'));
      // Install, then validate; the pull-request steps (diff, comment) run against a stand-in
      // for the platform in ci-comment-recipes.test.ts.
      expect(steps.map((s) => s.line!.split(' ').slice(0, 3).join(' '))).toEqual(
        expect.arrayContaining(['npm install --no-save', 'npx fluxgate validate']),
      );
      const installStep = steps.find((s) => s.line!.startsWith('npm install'));
      const validateStep = steps.find((s) => s.line!.startsWith('npx fluxgate validate'));
      expect(steps.indexOf(installStep!)).toBeLessThan(steps.indexOf(validateStep!));
      expect(installStep!.line).toContain(`fluxgate-cli@${VERSION}`);
      expect(npmWarnings(sh(expand(installStep!.line!), dir, 0, ciEnv).output)).toEqual([]);
      const env = Object.fromEntries(Object.entries(validateStep!.env).map(([k, v]) => [k, expand(v)]));
      const run = sh(expand(validateStep!.line!), dir, 1, { ...ciEnv, ...env });
      const out = path.join(temp, Object.values(vars)[0]!);
      if (file.includes('azure')) {
        expect(run.stdout).toMatch(
          /##vso\[task\.logissue type=error;sourcepath=[^;]*drafts\/podinfo-feature-flags\.yaml;linenumber=10;/,
        );
        expect(readFileSync(path.join(out, 'TEST-fluxgate.xml'), 'utf8')).toContain('yaml/duplicate-key');
      } else {
        expect(run.stdout).toMatch(/^::error file=[^,]*drafts\/podinfo-pdb\.yaml,line=2,/m);
        expect(JSON.parse(readFileSync(path.join(out, 'fluxgate.sarif'), 'utf8')).version).toBe('2.1.0');
      }
      // The cache directory the pipeline keeps between runs was used.
      expect(readdirSync(env.FLUXGATE_CACHE_DIR!).length).toBeGreaterThan(0);
      // Nothing but the installed packages was written into the checkout.
      expect(sh('git status --porcelain', dir, 0).stdout).toBe('?? node_modules/\n');
    });

  it('library: the README snippet runs like the CLI (caller environment, cache)', {
    timeout: 300_000,
  }, () => {
    const dir = repo(SMALL_FLEET);
    sh('npm i -D fluxgate-cli', dir, 0);
    writeFileSync(path.join(dir, 'check.mjs'), codeBlock('README.md', '## Library'));
    const cache = machine.env.FLUXGATE_CACHE_DIR!;
    rmSync(cache, { recursive: true, force: true });
    const run = sh('node check.mjs', dir, 0);
    // Builds were kept in the cache, as the CLI keeps them.
    expect(readdirSync(path.join(cache, 'render')).length).toBeGreaterThan(0);
    const cli = JSON.parse(sh('npx fluxgate validate --format json', dir, 1).stdout);
    expect(run.stdout).toBe(`${cli.summary.errors} errors in ${cli.summary.files} files\n`);
  });
});
