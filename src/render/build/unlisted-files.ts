import path from 'node:path';
import type { PendingFinding } from '../../core/pending.js';
import type { SourceFile } from '../../load/resource.js';
import { KUSTOMIZATION_FILE_NAMES } from '../kustomization/kustomization-file.js';
import type { TargetBuild } from './build-target.js';

const KUSTOMIZATION = new Set<string>(KUSTOMIZATION_FILE_NAMES);
const dirOf = (file: string) => path.posix.dirname(file).replace(/^\.$/, '');
const join = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);

/**
 * Whether a comment of the kustomization names the file (`# - old.yaml  # migrated`): an entry
 * commented out is a file left out on purpose, not forgotten.
 */
function commentedOut(kustomization: string, name: string): boolean {
  for (const line of kustomization.split('\n')) {
    const hash = line.indexOf('#');
    if (hash < 0) continue;
    for (const token of line.slice(hash + 1).split(/[\s'",[\]#]+/))
      if (path.posix.basename(token.replace(/^-+/, '')) === name) return true;
  }
  return false;
}

/**
 * `kustomize/unlisted-file`: a manifest beside a kustomization that no build reads, the commonest
 * "why is it not applied" Flux mistake (a file added to a directory, never to `resources:`).
 *
 * Only directories with a kustomization file: without one, Flux generates a kustomization of every
 * manifest (fluxcd/pkg kustomize_generator.go), so nothing there is left out. A file counts as
 * reached when any build of the run read it in any way (a resource, patch, component, generator
 * input, replacement source...; `inputs` is the build's closure), or lies below a directory a build
 * read whole. A directory is left alone when a build that read its kustomization failed or read
 * files it cannot list (generator or transformer plugin configs). Only files holding a Kubernetes
 * object are reported: other YAML (Helm values, tool configs) is read by something else. A file the
 * kustomization names in a comment (an entry commented out) is left out on purpose.
 */
export function unlistedFiles(
  builds: readonly TargetBuild[],
  files: readonly string[],
  sources: ReadonlyMap<string, SourceFile>,
): PendingFinding[] {
  const directories = new Set<string>();
  for (const file of files)
    for (let d = dirOf(file); d !== '' && !directories.has(d); d = dirOf(d)) directories.add(d);
  const hasKustomization = (dir: string) => KUSTOMIZATION_FILE_NAMES.some((k) => sources.has(join(dir, k)));
  const reached = new Set<string>();
  const wholeDirs: string[] = [];
  const used = new Set<string>();
  const unsure = new Set<string>();
  for (const build of builds) {
    // Inputs are repo-relative; the target's path is relative to its source root.
    const target = [build.target.source.rel, build.target.path].filter((p) => p !== '').join('/');
    const inputs = build.inputs;
    const kustomizations = inputs.filter((i) => KUSTOMIZATION.has(path.posix.basename(i)));
    const dirs = new Set(kustomizations.map(dirOf));
    for (const input of inputs) {
      reached.add(input);
      // A directory read without a kustomization of its own: every file below it.
      if (directories.has(input) && !hasKustomization(input)) wholeDirs.push(`${input}/`);
    }
    for (const dir of [...dirs, target]) {
      if (build.status !== 'ok' || build.readsUnlisted) unsure.add(dir);
      else used.add(dir);
    }
  }
  const findings: PendingFinding[] = [];
  for (const file of files) {
    const dir = dirOf(file);
    const name = path.posix.basename(file);
    if (!used.has(dir) || unsure.has(dir) || KUSTOMIZATION.has(name) || reached.has(file)) continue;
    if (wholeDirs.some((d) => file.startsWith(d))) continue;
    const kustomization = KUSTOMIZATION_FILE_NAMES.map((k) => join(dir, k)).find((k) => sources.has(k));
    if (!kustomization) continue;
    if (commentedOut(sources.get(kustomization)?.text ?? '', name)) continue;
    const docIndex = sources.get(file)?.resources.findIndex((r) => r.id !== undefined) ?? -1;
    if (docIndex < 0) continue;
    findings.push({
      ruleId: 'kustomize/unlisted-file',
      severity: 'warning',
      source: 'kustomize',
      file,
      docIndex,
      pointer: '',
      message:
        `${name} is beside ${kustomization}, which does not list it (nor does any kustomization that ` +
        'reads this directory): Flux does not apply it. Add it to resources: (or patches:, components:), ' +
        'or, if it is kept on purpose, move it to an archive/ folder or list it in .sourceignore',
    });
  }
  return findings;
}
