import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FileSpec, HostileCase } from './hostile-case.js';

export const CLUSTER_DIR = 'clusters/hostile';

const SYNC = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: ssh://git@example.com/hostile
  ref:
    branch: main
  secretRef:
    name: flux-system
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./${CLUSTER_DIR}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

function fluxKustomization(name: string, specPath: string, spec = ''): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ${specPath}
  prune: true
  targetNamespace: default
  sourceRef:
    kind: GitRepository
    name: flux-system
${spec}`;
}

function writeSpec(file: string, spec: FileSpec): void {
  mkdirSync(path.dirname(file), { recursive: true });
  if (typeof spec === 'string' || spec instanceof Uint8Array) writeFileSync(file, spec);
  else if ('symlink' in spec) symlinkSync(spec.symlink, file);
  else execFileSync('mkfifo', [file]);
}

/** The directory of a case in the repository. */
export const caseDir = (name: string) => `cases/${name}`;

/**
 * Writes cases into a new repository (a `.git` marker, not a clone: what git cannot hold, such as
 * a FIFO, is then on disk for fluxgate to meet), with one cluster whose Flux Kustomizations render
 * the cases that ask for it.
 */
export function writeRepo(cases: readonly HostileCase[], parent = os.tmpdir()): string {
  const root = mkdtempSync(path.join(parent, 'fluxgate-hostile-'));
  mkdirSync(path.join(root, '.git'));
  mkdirSync(path.join(root, CLUSTER_DIR, 'flux-system'), { recursive: true });
  for (const c of cases) {
    for (const [file, spec] of Object.entries(c.files))
      writeSpec(path.join(root, caseDir(c.name), file), spec);
    if (c.flux) {
      const specPath = `./${path.posix.join(caseDir(c.name), c.flux.path ?? '.')}`;
      writeFileSync(
        path.join(root, CLUSTER_DIR, `${c.name}.yaml`),
        fluxKustomization(c.name, specPath, c.flux.spec),
      );
    }
  }
  writeFileSync(path.join(root, CLUSTER_DIR, 'flux-system', 'gotk-sync.yaml'), SYNC);
  return root;
}

/**
 * Everything in a tree, by path: kind, size, mode, modification time and content digest (links:
 * their target, never followed). Two equal snapshots mean nothing was written.
 */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const child = rel === '' ? name : `${rel}/${name}`;
      const full = path.join(root, child);
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) out.set(child, `link ${readlinkSync(full)}`);
      else if (stat.isDirectory()) {
        out.set(child, `dir ${stat.mode} ${stat.mtimeMs}`);
        walk(child);
      } else if (stat.isFile())
        out.set(
          child,
          `file ${stat.mode} ${stat.size} ${stat.mtimeMs} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`,
        );
      else out.set(child, `other ${stat.mode}`);
    }
  };
  walk('');
  return out;
}
