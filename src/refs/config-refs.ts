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
  /** The key read (HelmRelease valuesFrom: `valuesKey`, default values.yaml), and where it is written. */
  key?: { name: string; pointer: string };
}

function configRefs(list: unknown, base: string, keyed: boolean): ConfigRef[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry, i) => {
    const e = record(entry);
    const kind = e?.kind;
    const name = str(e?.name);
    if (!e || !name || (kind !== 'ConfigMap' && kind !== 'Secret')) return [];
    const valuesKey = str(e.valuesKey);
    return [
      {
        kind,
        name,
        optional: e.optional === true,
        pointer: `${base}/${i}/name`,
        ...(keyed
          ? {
              key: {
                name: valuesKey ?? 'values.yaml',
                pointer: `${base}/${i}/${valuesKey ? 'valuesKey' : 'name'}`,
              },
            }
          : {}),
      },
    ];
  });
}

/**
 * The keys a ConfigMap or Secret holds as helm-controller reads them (ConfigMap `data`; Secret
 * `data`, which the API server fills from `stringData` too); undefined when unknown (a Secret a
 * controller writes).
 */
function keysOf(o: ClusterObject): Set<string> | undefined {
  if ('produced' in o.value) return undefined;
  const fields = o.id.kind === 'Secret' ? ['data', 'stringData'] : ['data'];
  return new Set(fields.flatMap((f) => Object.keys(record(o.value[f]) ?? {})));
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
  const noKey = refs.flatMap((ref) => {
    const found = ref.optional || !ref.key ? undefined : index.get(ref.kind, ns, ref.name);
    const keys = found && keysOf(found);
    if (!found || !ref.key || !keys || keys.has(ref.key.name)) return [];
    return [
      {
        ruleId,
        severity: 'warning' as const,
        message:
          `${o.id.kind} ${ns}/${o.id.name} reads ${field} from key '${ref.key.name}' of ${ref.kind} ${ns}/${ref.name}, which has no such key ` +
          `(it has ${[...keys].map((k) => `'${k}'`).join(', ') || 'none'}); the reconciliation fails (mark it optional if it may be absent)`,
        object: o,
        pointer: ref.key.pointer,
      },
    ];
  });
  const absent = refs
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
  return [...absent, ...noKey];
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
          configRefs(record(o.value.spec)?.valuesFrom, '/spec/valuesFrom', true),
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
          configRefs(list, '/spec/postBuild/substituteFrom', false),
          this.id,
          'variables',
        );
      });
  },
};
