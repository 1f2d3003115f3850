import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE } from '../config/find-root.js';
import { UsageError } from '../core/errors.js';
import { configTemplate } from './config-template.js';
import { detectClusters } from './detect.js';
import { HUSKY_PRE_COMMIT, INSTALL_COMMAND, LINT_STAGED_CONFIG, MINIMAL_PACKAGE_JSON } from './husky.js';

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
  const result: InitResult = { written: [], skipped: [], next: [] };
  await put(root, CONFIG_FILE, configTemplate(await detectClusters(root)), force, result);
  if (options.hooks === 'husky') {
    const pkgPath = path.join(root, 'package.json');
    if (!existsSync(pkgPath)) await put(root, 'package.json', MINIMAL_PACKAGE_JSON, false, result);
    else if (!/"husky"/.test(readFileSync(pkgPath, 'utf8')))
      result.next.push('add "prepare": "husky" to package.json scripts');
    await put(root, '.lintstagedrc.json', LINT_STAGED_CONFIG, force, result);
    await put(root, '.husky/pre-commit', HUSKY_PRE_COMMIT, force, result);
    await chmod(path.join(root, '.husky/pre-commit'), 0o755);
    result.next.push(INSTALL_COMMAND);
  } else if (options.hooks !== undefined) {
    throw new UsageError(`--hooks ${String(options.hooks)}: expected husky`);
  }
  return result;
}
