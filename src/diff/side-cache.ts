import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { codeIdentity } from '../cache/code-identity.js';
import { ContentStore, contentKey } from '../cache/store.js';
import { git } from '../git/git.js';
import { gitBranches, gitRemoteUrls } from '../git/remote-urls.js';
import { helmServerPath } from '../render/helm/helm-renderer.js';
import { selectKustomize } from '../render/kustomize/select-kustomize.js';

/** Where a commit is read from, and what its run is given. */
export interface CommitSideInput {
  /** The repository root fluxgate runs in (a directory of a git work tree). */
  root: string;
  commit: string;
  cacheDir: string;
  env: Readonly<Record<string, string | undefined>>;
  kustomizeBin?: string | undefined;
  cwd: string;
}

/**
 * Environment variables a run (or a tool it starts) reads: where tools and caches are, the tools'
 * own settings, proxies. Others (a terminal's, a CI job's id) do not change a result.
 */
const RELEVANT_ENV =
  /^(PATH|HOME|FLUXGATE_.*|XDG_.*|HELM_.*|KUSTOMIZE_.*|GIT_.*|SOPS_.*|(HTTPS?|NO|ALL)_PROXY)$/i;

const stamp = (file: string | undefined) => {
  const stat = file ? statSync(file, { throwIfNoEntry: false }) : undefined;
  return `${file ?? '-'}\u0000${stat ? `${stat.size}:${stat.mtimeMs}` : '-'}`;
};

/**
 * The chart cache as a run finds it: the records of what each chart reference resolved to, and
 * the archives (the cache's size limit may remove one, and its release then renders nothing).
 */
function chartCacheState(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(at).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const child = path.join(at, name);
      if (depth > 0) walk(child, depth - 1);
      else out.push(stamp(child));
    }
  };
  walk(path.join(dir, 'charts', 'refs'), 1);
  walk(path.join(dir, 'charts', 'sha256'), 0);
  return out;
}

/**
 * The cache key of a commit's side of `fluxgate diff`, or why there is none: its result may depend
 * on something the key cannot name, and the commit is checked as usual. The key names the commit's
 * tree (every file the run reads, `.fluxgate.yaml` included), the repository's directory, this
 * fluxgate, the kustomize and helm-server binaries (path, size, time, version), the chart cache's
 * records and archives, the repository's remotes and branches (how clusters and sync URLs are
 * matched), git's line-ending settings (how the tree is written out) and the environment the tools
 * read. A config
 * that reads outside the commit (schema locations, policy directories, a kustomize binary of its
 * own, the network) is never cached.
 */
export async function commitSideKey(input: CommitSideInput): Promise<{ key: string } | { why: string }> {
  const { root, commit, env } = input;
  try {
    const top = (await git(root, ['rev-parse', '--show-toplevel'])).trim();
    const prefix = path.relative(top, root).split(path.sep).join('/');
    const tree = (await git(root, ['rev-parse', `${commit}^{tree}`])).trim();
    const configPath = `${prefix === '' ? '' : `${prefix}/`}.fluxgate.yaml`;
    const listed = await git(top, ['ls-tree', '--name-only', commit, '--', configPath]);
    if (listed.trim() !== '') {
      const config = parse(await git(top, ['show', `${commit}:${configPath}`])) as Record<
        string,
        unknown
      > | null;
      if (!readsOnlyTheCommit(config))
        return {
          why: `its ${configPath} reads outside the commit (schema locations, policies, kustomize.bin, sources or the network)`,
        };
    }
    const bin = input.kustomizeBin;
    // The run resolves a relative binary in the commit's export: not a file the key can name.
    if (bin?.includes('/') && !path.isAbsolute(bin))
      return { why: `--kustomize-bin ${bin} is a relative path` };
    const kustomize = await selectKustomize({
      env,
      cwd: input.cwd,
      root,
      flag: input.kustomizeBin,
      cacheDir: input.cacheDir,
    });
    const helm = helmServerPath(env);
    const eol = await git(top, ['config', '--get-regexp', '^core\\.(autocrlf|eol|safecrlf)$']).catch(
      () => '',
    );
    const [remotes, branches] = await Promise.all([gitRemoteUrls(root), gitBranches(root)]);
    const relevant = Object.entries(env)
      .filter(([name, value]) => value !== undefined && RELEVANT_ENV.test(name))
      .sort(([a], [b]) => (a < b ? -1 : 1));
    const key = contentKey(
      'diff-side/1',
      codeIdentity(),
      tree,
      prefix,
      // A cluster whose root names none is named after the repository: its remote, else its directory.
      path.resolve(root),
      JSON.stringify([kustomize.file, kustomize.version, kustomize.prefix, kustomize.from]),
      stamp(kustomize.file),
      stamp(kustomize.server),
      'path' in helm ? stamp(helm.path) : '-',
      ...chartCacheState(input.cacheDir),
      eol,
      JSON.stringify({ remotes, branches, env: relevant }),
    );
    return { key };
  } catch (error) {
    // No git, an unreadable config, no kustomize: the run says what is wrong, uncached.
    return { why: (error as Error).message.split('\n')[0] ?? 'unknown' };
  }
}

/** No schema location, policy directory, kustomize binary or network access in the config. */
function readsOnlyTheCommit(config: Record<string, unknown> | null): boolean {
  if (config === null) return true;
  if (typeof config !== 'object' || Array.isArray(config)) return false;
  const present = (value: unknown) =>
    value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
  const kustomize = config.kustomize as Record<string, unknown> | undefined;
  const network = config.network as Record<string, unknown> | undefined;
  const sources = config.sources;
  const outside = (dir: unknown) =>
    typeof dir !== 'string' || path.isAbsolute(dir) || dir.split(/[\\/]/).includes('..');
  return (
    !(sources && typeof sources === 'object' && Object.values(sources).some(outside)) &&
    !present(config.schemaLocations) &&
    !present(config.policies) &&
    !present(kustomize?.bin) &&
    !(network && Object.values(network).some((v) => v === true))
  );
}

/** Commits' sides of earlier diffs, by `commitSideKey`. */
export function openSideCache(cacheDir: string): ContentStore {
  return new ContentStore(cacheDir, 'diff-sides');
}
