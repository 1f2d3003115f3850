import type { SourceListing } from '../workspace/source-files.js';
import { KUSTOMIZATION_FILE_NAMES } from './kustomization-file.js';

/**
 * The kustomization Flux generates for a `spec.path` without one (fluxcd/pkg kustomize v1.35.4,
 * kustomize_generator.go findOrGenerateKustomization + scanManifests): every `.yaml`/`.yml` file
 * below it, at any depth, is a resource; a subdirectory holding a kustomization file is added as a
 * directory resource and not walked further. Nothing found: a placeholder namespace, so kustomize
 * does not refuse an empty kustomization. Files that are not Kubernetes objects are listed all the
 * same: Flux fails on them (its scan decodes each one), and so does kustomize.
 */
export function generateKustomization(listing: SourceListing, dir: string): Record<string, unknown> {
  const prefix = dir === '' ? '' : `${dir}/`;
  const below = listing.entries.filter((e) => e.rel.startsWith(prefix) && e.rel !== dir);
  const files = new Set(below.filter((e) => e.kind === 'file').map((e) => e.rel));
  const kustomizationDirs = below
    .filter((e) => e.kind === 'dir' && KUSTOMIZATION_FILE_NAMES.some((n) => files.has(`${e.rel}/${n}`)))
    .map((e) => e.rel);
  const inside = (rel: string) => kustomizationDirs.some((d) => rel.startsWith(`${d}/`));
  const resources: string[] = [];
  // filepath.Walk visits entries in lexical order, directories before their contents.
  for (const entry of [...below].sort((a, b) => walkOrder(a.rel, b.rel))) {
    if (inside(entry.rel)) continue;
    const rel = `./${entry.rel.slice(prefix.length)}`;
    if (entry.kind === 'dir') {
      if (kustomizationDirs.includes(entry.rel)) resources.push(rel);
    } else if (/\.ya?ml$/.test(entry.rel)) resources.push(rel);
  }
  const base = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' };
  return resources.length === 0 ? { ...base, namespace: '_placeholder' } : { ...base, resources };
}

/** Go's filepath.Walk order: entries sorted by name in each directory, a directory's contents right after it. */
function walkOrder(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i]! < pb[i]! ? -1 : 1;
  }
  return pa.length - pb.length;
}
