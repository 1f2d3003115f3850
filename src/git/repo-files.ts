import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The files a clone of the repository holds, as git sees them (paths relative to the fluxgate
 * root, POSIX). A Flux GitRepository is a clone: files that git ignores (a CI's `node_modules`,
 * local secrets, build output) never exist there, whatever the work tree holds.
 */
export interface RepoFiles {
  /** Every file a clone (or the commit about to be made) holds. */
  files: ReadonlySet<string>;
  /** Those of `files` that git does not track yet (work-tree runs only): new files to be added. */
  untracked: ReadonlySet<string>;
  /** Every directory holding one of `files` ('' included). */
  dirs: ReadonlySet<string>;
}

/**
 * `worktree`: tracked files and the untracked ones git would add (`git add -A`): what the next
 * commit holds when everything is added. `index`: what is staged, exactly (`--staged`). `export`:
 * a directory git exported (`checkout-index`): every file in it is what the index holds.
 */
export type RepoFilesMode = 'worktree' | 'index' | 'export';

async function lsFiles(root: string, args: string[]): Promise<string[]> {
  const { stdout } = await run('git', ['ls-files', '-z', ...args], {
    cwd: root,
    maxBuffer: 512 * 1024 * 1024,
    encoding: 'utf8',
  });
  return stdout.split('\0').filter((f) => f !== '');
}

/**
 * What git says the repository holds at `root`, or undefined when `root` is not in a git work tree
 * (or git is missing): callers then read the directory as it is, honouring `.gitignore` files.
 */
export async function repoFiles(root: string, mode: RepoFilesMode): Promise<RepoFiles | undefined> {
  if (mode === 'export') return withDirs(everyFile(root), []);
  try {
    const [tracked, untracked] = await Promise.all([
      lsFiles(root, ['--cached']),
      mode === 'worktree' ? lsFiles(root, ['--others', '--exclude-standard']) : Promise.resolve([]),
    ]);
    const trackedSet = new Set(tracked);
    return withDirs(
      [...tracked, ...untracked],
      untracked.filter((f) => !trackedSet.has(f)),
    );
  } catch {
    return undefined;
  }
}

function withDirs(list: readonly string[], untracked: readonly string[]): RepoFiles {
  const files = new Set(list);
  const dirs = new Set<string>(['']);
  for (const file of files)
    for (let i = file.indexOf('/'); i >= 0; i = file.indexOf('/', i + 1)) dirs.add(file.slice(0, i));
  return { files, untracked: new Set(untracked), dirs };
}

/** Every file below `root` (symlinks included, as git exports them), relative and POSIX. */
function everyFile(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(rel === '' ? root : path.join(root, rel), { withFileTypes: true })) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk('');
  return out;
}

/** The part of `files` below `prefix` (a source root, repository-relative), relative to it. */
export function filesBelow(repo: RepoFiles, prefix: string): RepoFiles {
  if (prefix === '') return repo;
  const cut = (set: ReadonlySet<string>) => {
    const out = new Set<string>();
    for (const f of set) if (f.startsWith(`${prefix}/`)) out.add(f.slice(prefix.length + 1));
    return out;
  };
  const dirs = cut(repo.dirs);
  dirs.add('');
  return { files: cut(repo.files), untracked: cut(repo.untracked), dirs };
}
