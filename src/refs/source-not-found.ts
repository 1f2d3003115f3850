import { generatesArtifact } from '../model/artifact-generator.js';
import {
  type ClusterObject,
  type ClusterView,
  groupOf,
  notFoundSeverity,
  type ObjectFinding,
  type ObjectIndex,
  type RefCheck,
  record,
  str,
} from './cluster-view.js';
import { HELM_GROUP, KUSTOMIZE_GROUP, SOURCE_GROUP } from './flux-kinds.js';

interface SourceRef {
  kind: string;
  name: string;
  namespace: string;
  pointer: string;
}

/** Where each Flux object names its source (kustomize-controller, helm-controller, source-controller API docs). */
function sourceRefs(o: ClusterObject): SourceRef[] {
  const group = groupOf(o.id.apiVersion);
  const spec = record(o.value.spec);
  const ns = o.id.namespace ?? 'default';
  const refs: SourceRef[] = [];
  const add = (ref: unknown, pointer: string, namespaced: boolean) => {
    const r = record(ref);
    const kind = str(r?.kind);
    const name = str(r?.name);
    if (!r || !kind || !name) return;
    refs.push({ kind, name, namespace: (namespaced && str(r.namespace)) || ns, pointer });
  };
  if (!spec) return refs;
  if (group === KUSTOMIZE_GROUP && o.id.kind === 'Kustomization')
    add(spec.sourceRef, '/spec/sourceRef', true);
  if (group === HELM_GROUP && o.id.kind === 'HelmRelease') {
    add(record(record(spec.chart)?.spec)?.sourceRef, '/spec/chart/spec/sourceRef', true);
    add(spec.chartRef, '/spec/chartRef', true);
  }
  if (group === SOURCE_GROUP && o.id.kind === 'HelmChart') add(spec.sourceRef, '/spec/sourceRef', false);
  return refs;
}

export const sourceNotFound: RefCheck = {
  id: 'refs/source-not-found',
  check(cluster: ClusterView, index: ObjectIndex): ObjectFinding[] {
    const out: ObjectFinding[] = [];
    // The source that stands for the repository: the cluster runs from it, wherever its object was
    // created (bootstrap, a FluxInstance). One info at its first user, not one per Kustomization.
    const repoUsers = new Map<string, { first: ClusterObject; pointer: string; count: number }>();
    for (const o of cluster.objects) {
      for (const ref of sourceRefs(o)) {
        if (index.get(ref.kind, ref.namespace, ref.name)) continue;
        const id = `${ref.kind}/${ref.namespace}/${ref.name}`;
        if (cluster.repoSources?.includes(id)) {
          const seen = repoUsers.get(id);
          if (seen) seen.count++;
          else repoUsers.set(id, { first: o, pointer: `${ref.pointer}/name`, count: 1 });
          continue;
        }
        if (ref.kind === 'ExternalArtifact' && generatesArtifact(cluster.objects, ref.namespace, ref.name))
          continue;
        const what = `${ref.kind} ${ref.namespace}/${ref.name}`;
        const { severity, note } = notFoundSeverity(cluster, 'error', ref);
        out.push({
          ruleId: this.id,
          severity,
          message: note
            ? `${o.id.kind} ${o.id.namespace ?? ''}/${o.id.name} uses ${what}, which the rendered part of cluster ${cluster.name} does not define${note}`
            : cluster.hasOutsideCreators
              ? `${o.id.kind} ${o.id.namespace ?? ''}/${o.id.name} uses ${what}, which is not in this cluster's manifests; it may be created outside Git`
              : `${o.id.kind} ${o.id.namespace ?? ''}/${o.id.name} uses ${what}, which cluster ${cluster.name} does not define`,
          object: o,
          pointer: `${ref.pointer}/name`,
        });
      }
    }
    for (const [id, { first, pointer, count }] of repoUsers) {
      const [kind, namespace, name] = id.split('/');
      out.push({
        ruleId: this.id,
        severity: 'info',
        message: `${kind} ${namespace}/${name} is the source of this repository, created outside Git (flux bootstrap, a FluxInstance or the AKS extension): ${count} object${count === 1 ? '' : 's'} use${count === 1 ? 's' : ''} it`,
        object: first,
        pointer,
      });
    }
    return out;
  },
};
