import { type Dirent, readdirSync } from 'node:fs';
import path from 'node:path';
import { EXCLUDE_EXT, EXCLUDE_VCS } from '../../discover/source-ignore.js';
import type { RepoFiles } from '../../git/repo-files.js';

/**
 * Where CI pushes this repository as an OCI artifact (`flux push artifact URL --path=DIR`, or the
 * Flux Operator's `controlplaneio-fluxcd/distribution/actions/push` with `path:`): a cluster that
 * syncs that artifact runs the files of DIR, so fluxgate can render it from the repository.
 */
export interface PushedArtifact {
  file: string;
  line: number;
  /** The artifact URL as written (may hold CI variables), without tag or digest. */
  url: string | undefined;
  /** The pushed directory, repo-relative ('' for the root). */
  path: string;
  /**
   * `--ignore-paths` (gitignore lines, relative to `path`): what the push leaves out. Without the
   * flag, flux leaves out VCS files and archives (flux2 cmd/flux/build_artifact.go excludeOCI).
   */
  ignore: string[];
}

/** flux2's default `--ignore-paths`: sourceignore.ExcludeVCS and ExcludeExt. */
const EXCLUDE_OCI = [...EXCLUDE_VCS, ...EXCLUDE_EXT];

function ignoreList(value: string | undefined): string[] {
  if (value === undefined) return EXCLUDE_OCI;
  return value
    .replace(/^["']|["']$/g, '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** Files where CI steps and task runners are written. */
const CI_FILE =
  /(^|\/)(\.github\/workflows\/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|azure-pipelines[^/]*\.ya?ml|\.azure(?:devops|-pipelines)?\/.+\.ya?ml|Makefile|Taskfile[^/]*\.ya?ml|\.taskfiles\/.+\.ya?ml|[^/]*\.just|justfile)$/i;

function normalizeDir(dir: string): string {
  return dir
    .replace(/^["']|["']$/g, '')
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/');
}

/** The artifact URL without scheme, tag or digest, lower-cased, for comparing with a sync URL. */
export function artifactKey(url: string): string {
  return url
    .trim()
    .replace(/^["']|["']$/g, '')
    .replace(/^oci:\/\//i, '')
    .replace(/@sha256:[0-9a-f]+$/i, '')
    .replace(/:[^/:]+$/, '')
    .toLowerCase();
}

/** The CI files of the repository: from git, else from the directories CI files live in. */
export function ciFiles(root: string, repo: RepoFiles | undefined): string[] {
  if (repo) return [...repo.files].filter((f) => CI_FILE.test(f)).sort();
  const out: string[] = [];
  const walk = (rel: string, depth: number) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(rel === '' ? root : path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isFile() && CI_FILE.test(child)) out.push(child);
      else if (
        e.isDirectory() &&
        depth < 3 &&
        (rel !== '' || /^\.(github|taskfiles|azuredevops|azure-pipelines)$/.test(e.name))
      )
        walk(child, depth + 1);
    }
  };
  walk('', 0);
  return out.sort();
}

/** Every push of this repository as an artifact that CI files describe. */
export function pushedArtifacts(
  files: readonly string[],
  read: (file: string) => string | undefined,
): PushedArtifact[] {
  const out: PushedArtifact[] = [];
  for (const file of files) {
    const text = read(file);
    if (text === undefined || text.length > 512 * 1024) continue;
    const lines = text.split(/\r?\n/);
    lines.forEach((line, i) => {
      if (/flux\s+push\s+artifact\b/.test(line)) {
        // The command with its continuation lines.
        let command = line;
        for (let j = i; /\\\s*$/.test(lines[j] ?? '') && j + 1 < lines.length; j++)
          command += ` ${lines[j + 1]}`;
        const url = /flux\s+push\s+artifact\s+("[^"]+"|'[^']+'|\S+)/.exec(command)?.[1];
        const dir = /--path[= ]\s*("[^"]*"|'[^']*'|[^\s\\]+)/.exec(command)?.[1];
        const ignore = /--ignore-paths[= ]\s*("[^"]*"|'[^']*'|[^\s\\]+)/.exec(command)?.[1];
        if (dir !== undefined)
          out.push({
            file,
            line: i + 1,
            url: url && artifactKey(url),
            path: normalizeDir(dir),
            ignore: ignoreList(ignore),
          });
      }
      if (/uses:\s*controlplaneio-fluxcd\/distribution\/actions\/push\b/.test(line)) {
        const indent = /^\s*/.exec(line)![0].length;
        let dir: string | undefined;
        let url: string | undefined;
        let ignore: string | undefined;
        for (let j = i + 1; j < lines.length; j++) {
          const next = lines[j]!;
          if (next.trim() !== '' && /^\s*/.exec(next)![0].length < indent) break;
          if (/^\s*-\s/.test(next) && /^\s*/.exec(next)![0].length <= indent) break;
          const path = /^\s*path:\s*(.+?)\s*$/.exec(next);
          if (path) dir = path[1];
          const repository = /^\s*repository:\s*(.+?)\s*$/.exec(next);
          if (repository) url = artifactKey(repository[1]!);
          const paths = /^\s*ignore-paths:\s*(.+?)\s*$/.exec(next);
          if (paths) ignore = paths[1];
        }
        if (dir !== undefined)
          out.push({ file, line: i + 1, url, path: normalizeDir(dir), ignore: ignoreList(ignore) });
      }
    });
  }
  return out;
}
