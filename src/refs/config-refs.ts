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
import { HELM_GROUP, KUSTOMIZE_GROUP } from './flux-kinds.js';

interface ConfigRef {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  optional: boolean;
  pointer: string;
}

function configRefs(list: unknown, base: string): ConfigRef[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry, i) => {
    const e = record(entry);
    const kind = e?.kind;
    const name = str(e?.name);
    if (!e || !name || (kind !== 'ConfigMap' && kind !== 'Secret')) return [];
    return [{ kind, name, optional: e.optional === true, pointer: `${base}/${i}/name` }];
  });
}

/**
 * A missing ConfigMap or Secret that is not `optional` stops the reconciliation. Secrets (and,
 * often, ConfigMaps written by Terraform or the AKS extension) are created outside Git, so fluxgate
 * cannot be sure: a missing Secret is info, a missing ConfigMap a warning.
 */
function missing(
  cluster: ClusterView,
  index: ObjectIndex,
  o: ClusterObject,
  refs: ConfigRef[],
  ruleId: string,
  field: string,
): ObjectFinding[] {
  const ns = o.id.namespace ?? 'default';
  return refs
    .filter((ref) => !ref.optional && !index.get(ref.kind, ns, ref.name))
    .map((ref) => {
      const { severity, note } = notFoundSeverity(cluster, ref.kind === 'Secret' ? 'info' : 'warning', {
        kind: ref.kind,
        namespace: ns,
        name: ref.name,
      });
      return {
        ruleId,
        severity,
        message:
          `${o.id.kind} ${ns}/${o.id.name} reads ${field} from ${ref.kind} ${ns}/${ref.name}, which is not in cluster ` +
          `${cluster.name}'s manifests; unless it is created outside Git, the reconciliation fails (mark it optional if it may be absent)${note}`,
        object: o,
        pointer: ref.pointer,
      };
    });
}

export const valuesFromNotFound: RefCheck = {
  id: 'refs/values-from-not-found',
  check(cluster, index) {
    return cluster.objects
      .filter((o) => o.id.kind === 'HelmRelease' && groupOf(o.id.apiVersion) === HELM_GROUP)
      .flatMap((o) =>
        missing(
          cluster,
          index,
          o,
          configRefs(record(o.value.spec)?.valuesFrom, '/spec/valuesFrom'),
          this.id,
          'values',
        ),
      );
  },
};

export const substituteFromNotFound: RefCheck = {
  id: 'refs/substitute-from-not-found',
  check(cluster, index) {
    return cluster.objects
      .filter((o) => o.id.kind === 'Kustomization' && groupOf(o.id.apiVersion) === KUSTOMIZE_GROUP)
      .flatMap((o) => {
        const list = record(record(o.value.spec)?.postBuild)?.substituteFrom;
        return missing(
          cluster,
          index,
          o,
          configRefs(list, '/spec/postBuild/substituteFrom'),
          this.id,
          'variables',
        );
      });
  },
};
