import { type ClusterView, groupOf, type ObjectFinding, type RefCheck, record, str } from './cluster-view.js';
import { KUSTOMIZE_GROUP } from './flux-kinds.js';

/** A Flux Kustomization's `spec.path` must exist in its source, or the build fails ("no such file or directory"). */
export const pathNotFound: RefCheck = {
  id: 'refs/path-not-found',
  check(cluster: ClusterView): ObjectFinding[] {
    const out: ObjectFinding[] = [];
    for (const o of cluster.objects) {
      if (o.id.kind !== 'Kustomization' || groupOf(o.id.apiVersion) !== KUSTOMIZE_GROUP) continue;
      const spec = record(o.value.spec);
      const ref = record(spec?.sourceRef);
      const kind = str(ref?.kind);
      const name = str(ref?.name);
      if (!spec || !ref || !kind || !name) continue;
      const path = str(spec.path) ?? './';
      const namespace = str(ref.namespace) ?? o.id.namespace ?? 'default';
      if (cluster.pathExists({ kind, namespace, name }, path) !== false) continue;
      const link = cluster.pathLink?.({ kind, namespace, name }, path);
      // Flux's artifact holds no symlinks: a path through one is outside the source, whatever it points at.
      const why = link
        ? ` (it goes through the symbolic link ${link}: Flux's artifact holds no symlinks, so the path is outside the source)`
        : '';
      out.push({
        ruleId: this.id,
        severity: 'error',
        message: `Kustomization ${o.id.namespace ?? ''}/${o.id.name}: path ${path} does not exist in ${kind} ${namespace}/${name}${why}`,
        object: o,
        pointer: '/spec/path',
      });
    }
    return out;
  },
};
