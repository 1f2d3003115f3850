import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A Git URL reduced to `host/path` (lower-cased, no scheme, user, port or `.git`), so the forms a
 * team writes for one repository compare equal: `https://github.com/org/repo.git`,
 * `ssh://git@github.com/org/repo`, `git@github.com:org/repo`, and Azure DevOps' HTTPS
 * (`https://org@dev.azure.com/org/project/_git/repo`) and SSH
 * (`git@ssh.dev.azure.com:v3/org/project/repo`, `org@vs-ssh.visualstudio.com:v3/...`) forms.
 * Undefined for what is not a remote Git URL (a local path, `oci://`).
 */
export function normalizeGitUrl(url: string): string | undefined {
  let rest = url.trim();
  let host: string;
  let path: string;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(rest);
  if (scheme) {
    if (!['http', 'https', 'ssh', 'git', 'git+ssh', 'ssh+git'].includes(scheme[1]!.toLowerCase()))
      return undefined;
    rest = scheme[2]!.replace(/^[^@/]*@/, '');
    const slash = rest.indexOf('/');
    if (slash < 0) return undefined;
    host = rest.slice(0, slash).replace(/:\d+$/, '');
    path = rest.slice(slash + 1);
  } else {
    // scp-like: [user@]host:path
    const scp = /^(?:[^@/]+@)?([^:/]+):(.+)$/.exec(rest);
    if (!scp) return undefined;
    host = scp[1]!;
    path = scp[2]!;
  }
  host = host.toLowerCase();
  path = path
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/^\/+/, '');
  // Azure DevOps SSH: v3/org/project/repo is https://dev.azure.com/org/project/_git/repo.
  if (host === 'ssh.dev.azure.com' || host.endsWith('vs-ssh.visualstudio.com')) {
    const parts = path.replace(/^v3\//, '').split('/');
    if (parts.length === 3) return `dev.azure.com/${parts[0]}/${parts[1]}/_git/${parts[2]}`.toLowerCase();
  }
  const legacy = /^([^.]+)\.visualstudio\.com$/.exec(host);
  if (legacy) {
    host = 'dev.azure.com';
    path = `${legacy[1]}/${path.replace(/^defaultcollection\//i, '')}`;
  }
  return `${host}/${path}`.toLowerCase();
}

/** The normalized URLs of every remote of the repository at `root` (empty when none, or no git). */
export async function gitRemoteUrls(root: string): Promise<string[]> {
  try {
    const { stdout } = await run('git', ['config', '--get-regexp', '^remote\\..*\\.url$'], {
      cwd: root,
      encoding: 'utf8',
    });
    const urls = stdout
      .split('\n')
      .map((line) => line.slice(line.indexOf(' ') + 1))
      .flatMap((url) => normalizeGitUrl(url) ?? []);
    return [...new Set(urls)].sort();
  } catch {
    return [];
  }
}

/**
 * The repository's main-line branches: `main` and `master`, the remote's default branch
 * (`origin/HEAD`) and the branch checked out. A Flux source of this repository's URL on another
 * branch holds another tree.
 */
export async function gitBranches(root: string): Promise<string[]> {
  const ask = async (args: string[]) => {
    try {
      return (await run('git', args, { cwd: root, encoding: 'utf8' })).stdout.trim();
    } catch {
      return '';
    }
  };
  const [current, head] = await Promise.all([
    ask(['rev-parse', '--abbrev-ref', 'HEAD']),
    ask(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']),
  ]);
  const out = new Set(['main', 'master']);
  if (current !== '' && current !== 'HEAD') out.add(current);
  if (head.startsWith('origin/')) out.add(head.slice('origin/'.length));
  return [...out].sort();
}
