import {
  type ClusterView,
  groupOf,
  notFoundSeverity,
  type ObjectFinding,
  type ObjectIndex,
  type RefCheck,
  record,
  str,
} from './cluster-view.js';
import { NOTIFICATION_GROUP } from './flux-kinds.js';

/** An Alert's `spec.providerRef` names a Provider in the Alert's namespace (notification-controller API). */
export const providerNotFound: RefCheck = {
  id: 'refs/provider-not-found',
  check(cluster: ClusterView, index: ObjectIndex): ObjectFinding[] {
    const out: ObjectFinding[] = [];
    for (const o of cluster.objects) {
      if (o.id.kind !== 'Alert' || groupOf(o.id.apiVersion) !== NOTIFICATION_GROUP) continue;
      const name = str(record(record(o.value.spec)?.providerRef)?.name);
      const ns = o.id.namespace ?? 'default';
      if (!name || index.get('Provider', ns, name)) continue;
      const { severity, note } = notFoundSeverity(cluster, 'error', {
        kind: 'Provider',
        namespace: ns,
        name,
      });
      out.push({
        ruleId: this.id,
        severity,
        message: `Alert ${ns}/${o.id.name} sends to Provider ${ns}/${name}, which ${note ? 'the rendered part of ' : ''}cluster ${cluster.name} does not define${note}`,
        object: o,
        pointer: '/spec/providerRef/name',
      });
    }
    return out;
  },
};
