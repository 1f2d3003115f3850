import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ToolError, UsageError } from '../../src/core/errors.js';
import { exportRef, resolveCommit } from '../../src/git/export-ref.js';
import { git, gitRepo } from '../helpers/git-repo.js';

// `fluxgate diff` exports the base while it checks the head; Ctrl-C must stop that export too.
describe('exporting a commit', () => {
  let tmp: string;
  let savedTmpdir: string | undefined;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-export-'));
    savedTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
  });
  afterEach(() => {
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
    rmSync(tmp, { recursive: true, force: true });
  });
  /** Every temporary directory fluxgate made under TMPDIR (in its per-user directory, `fluxgate-<uid>`). */
  const left = () =>
    readdirSync(tmp)
      .filter((d) => /^fluxgate-\d+$/.test(d))
      .flatMap((d) => readdirSync(path.join(tmp, d)));

  it('writes the tree of the commit, not the work tree, and cleanup removes it', async () => {
    const root = gitRepo({ 'apps/a.yaml': 'committed\n' });
    writeFileSync(path.join(root, 'apps/a.yaml'), 'edited\n');
    const exported = await exportRef(root, 'HEAD', 'BASE HEAD');
    expect(exported.commit).toBe(git(root, 'rev-parse', 'HEAD').trim());
    expect(readFileSync(path.join(exported.root, 'apps/a.yaml'), 'utf8')).toBe('committed\n');
    expect(left()).toEqual([expect.stringMatching(/^ref-/)]);
    await exported.cleanup();
    expect(existsSync(exported.root)).toBe(false);
    expect(left()).toEqual([]);
  });

  it('Ctrl-C: the export stops with "interrupted" and leaves no directory', async () => {
    const root = gitRepo({ 'apps/a.yaml': 'committed\n' });
    const controller = new AbortController();
    controller.abort();
    const run = exportRef(root, 'HEAD', 'BASE HEAD', controller.signal);
    await expect(run).rejects.toThrow(ToolError);
    await expect(run).rejects.toThrow(/^interrupted$/);
    expect(left()).toEqual([]);
  });

  it('a ref that names no commit is a usage error naming the argument', async () => {
    const root = gitRepo({ 'a.yaml': 'x\n' });
    await expect(resolveCommit(root, 'nope', 'BASE nope')).rejects.toThrow(UsageError);
    await expect(resolveCommit(root, 'nope', 'BASE nope')).rejects.toThrow(
      'BASE nope: not a commit in this repository',
    );
    expect(await resolveCommit(root, 'HEAD')).toBe(git(root, 'rev-parse', 'HEAD').trim());
    expect(left()).toEqual([]);
  });
});
