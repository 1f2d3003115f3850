import type { Diagnostic, ResourceId } from '../../core/diagnostic.js';
import type { RenderedCluster } from '../types.js';

const key = (cluster: string, id: ResourceId) =>
  `${cluster}\0${id.apiVersion}\0${id.kind}\0${id.namespace ?? ''}\0${id.name}`;

/**
 * Findings on objects a HelmRelease rendered say so, and which chart file: the line they are
 * reported at is a values entry or the release's chart line, not the template.
 */
export function noteHelmOrigins(found: Diagnostic[], clusters: readonly RenderedCluster[]): Diagnostic[] {
  const index = new Map<string, string>();
  for (const c of clusters)
    for (const r of c.resources)
      if (r.origin?.kind === 'helm')
        index.set(
          key(c.name, r.id),
          `rendered by HelmRelease ${r.origin.release.namespace}/${r.origin.release.name} from ${r.origin.template}${r.origin.hook ? ` (hook: ${r.origin.hook})` : ''}`,
        );
  if (index.size === 0) return found;
  return found.map((d) => {
    const note = d.resource && d.cluster !== undefined ? index.get(key(d.cluster, d.resource)) : undefined;
    return note ? { ...d, message: `${d.message} [${note}]` } : d;
  });
}
