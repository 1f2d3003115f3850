import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE } from '../config/find-root.js';
import { UsageError } from '../core/errors.js';
import { configTemplate } from './config-template.js';
import { detectClusters } from './detect.js';
import {
  HUSKY_PRE_COMMIT,
  INSTALL_COMMAND,
  LINT_STAGED_CONFIG,
  LINT_STAGED_FILE,
  MINIMAL_PACKAGE_JSON,
} from './husky.js';

export interface InitOptions {
  root: string;
  hooks?: 'husky';
  force?: boolean;
}

export interface InitResult {
  written: string[];
  skipped: string[];
  /** Commands the user still has to run (fluxgate never installs packages itself). */
  next: string[];
  /** What was done besides writing files (e.g. husky activated the hook). */
  done: string[];
}

function run(file: string, args: string[], cwd: string): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ ok: !error, out: `${stdout}${stderr}`.trim() }),
    );
  });
}

/**
 * `"prepare": "husky"` in package.json: `npm install` then activates the hook for whoever clones
 * the repository (https://typicode.github.io/husky/get-started.html). An existing package.json
 * gets the script added, unless it has a prepare script of its own.
 */
async function preparePackageJson(root: string, result: InitResult): Promise<void> {
  const file = path.join(root, 'package.json');
  if (!existsSync(file)) {
    await writeFile(file, MINIMAL_PACKAGE_JSON);
    result.written.push('package.json');
    return;
  }
  let pkg: { scripts?: Record<string, string> };
  const text = readFileSync(file, 'utf8');
  try {
    pkg = JSON.parse(text) as typeof pkg;
  } catch (error) {
    throw new UsageError(`package.json: ${(error as Error).message}`, { cause: error });
  }
  const prepare = pkg.scripts?.prepare;
  if (prepare?.includes('husky')) return;
  if (prepare !== undefined) {
    result.next.push(`add husky to the "prepare" script of package.json ("${prepare} && husky")`);
    return;
  }
  pkg.scripts = { ...pkg.scripts, prepare: 'husky' };
  const indent = /^\{\n(\s+)/.exec(text)?.[1] ?? '  ';
  await writeFile(file, `${JSON.stringify(pkg, null, indent)}\n`);
  result.written.push('package.json ("prepare": "husky")');
}

/**
 * Runs the repository's husky, which sets `core.hooksPath`: without it git never runs the hook, and
 * nothing would say so. Without husky installed, the install command is the next step.
 */
async function activateHusky(root: string, result: InitResult): Promise<void> {
  const husky = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'husky.cmd' : 'husky');
  if (!existsSync(husky)) {
    result.next.push(`${INSTALL_COMMAND} && npx husky   # installs them and activates the hook`);
    return;
  }
  const ran = await run(husky, [], root);
  const hooksPath = await run('git', ['config', 'core.hooksPath'], root);
  if (ran.ok && hooksPath.ok && hooksPath.out.startsWith('.husky'))
    result.done.push(`hook active: git config core.hooksPath is ${hooksPath.out}`);
  else
    result.next.push(
      `the hook is not active (husky: ${ran.out || 'no output'}); run npx husky in the repository's root`,
    );
}

async function put(
  root: string,
  file: string,
  text: string,
  force: boolean,
  result: InitResult,
): Promise<void> {
  const target = path.join(root, file);
  if (existsSync(target) && !force) {
    result.skipped.push(file);
    return;
  }
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, text);
  result.written.push(file);
}

/** `fluxgate init`: the only command that writes into the user's repository. */
export async function init(options: InitOptions): Promise<InitResult> {
  const { root } = options;
  const force = options.force ?? false;
  const result: InitResult = { written: [], skipped: [], next: [], done: [] };
  await put(root, CONFIG_FILE, configTemplate(await detectClusters(root)), force, result);
  if (options.hooks === 'husky') {
    await preparePackageJson(root, result);
    await put(root, LINT_STAGED_FILE, LINT_STAGED_CONFIG, force, result);
    await put(root, '.husky/pre-commit', HUSKY_PRE_COMMIT, force, result);
    await chmod(path.join(root, '.husky/pre-commit'), 0o755);
    await activateHusky(root, result);
  } else if (options.hooks !== undefined) {
    throw new UsageError(`--hooks ${String(options.hooks)}: expected husky`);
  }
  return result;
}
