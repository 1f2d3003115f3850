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

interface Dependency {
  kind: string;
  namespace: string;
  name: string;
  pointer: string;
}

/** `spec.dependsOn` of Kustomizations and HelmReleases: same kind, namespace defaults to the object's. */
export function dependencies(o: ClusterObject): Dependency[] {
  const group = groupOf(o.id.apiVersion);
  const isKs = group === KUSTOMIZE_GROUP && o.id.kind === 'Kustomization';
  const isHr = group === HELM_GROUP && o.id.kind === 'HelmRelease';
  if (!isKs && !isHr) return [];
  const list = record(o.value.spec)?.dependsOn;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry, i) => {
    const e = record(entry);
    const name = str(e?.name);
    if (!e || !name) return [];
    const kind = str(e.kind) ?? o.id.kind;
    return [
      {
        kind,
        namespace: str(e.namespace) ?? o.id.namespace ?? 'default',
        name,
        pointer: `/spec/dependsOn/${i}/name`,
      },
    ];
  });
}

function label(o: ClusterObject): string {
  return `${o.id.kind} ${o.id.namespace ?? ''}/${o.id.name}`;
}

export const dependsOnNotFound: RefCheck = {
  id: 'refs/depends-on-not-found',
  check(cluster: ClusterView, index: ObjectIndex): ObjectFinding[] {
    const out: ObjectFinding[] = [];
    const unrendered = new Set(
      (cluster.unrendered ?? []).map((k) => `Kustomization/${k.namespace}/${k.name}`),
    );
    for (const o of cluster.objects) {
      for (const dep of dependencies(o)) {
        if (index.get(dep.kind, dep.namespace, dep.name)) continue;
        // A Kustomization of the cluster that fluxgate could not render still exists there.
        if (unrendered.has(`${dep.kind}/${dep.namespace}/${dep.name}`)) continue;
        const { severity, note } = notFoundSeverity(cluster, 'error', dep);
        out.push({
          ruleId: this.id,
          severity,
          message: note
            ? `${label(o)} depends on ${dep.kind} ${dep.namespace}/${dep.name}, which the rendered part of cluster ${cluster.name} does not define${note}`
            : `${label(o)} depends on ${dep.kind} ${dep.namespace}/${dep.name}, which cluster ${cluster.name} does not define: it will never become ready`,
          object: o,
          pointer: dep.pointer,
        });
      }
    }
    return out;
  },
};

/** A dependsOn cycle never reconciles: every member waits for another. Reported once, at its first member. */
export const dependsOnCycle: RefCheck = {
  id: 'refs/depends-on-cycle',
  check(cluster: ClusterView, index: ObjectIndex): ObjectFinding[] {
    const key = (o: ClusterObject) => `${o.id.kind}/${o.id.namespace ?? ''}/${o.id.name}`;
    const edges = new Map<string, { to: ClusterObject; pointer: string }[]>();
    for (const o of cluster.objects) {
      const deps = dependencies(o).flatMap((d) => {
        const to = index.get(d.kind, d.namespace, d.name);
        return to ? [{ to, pointer: d.pointer }] : [];
      });
      if (deps.length > 0) edges.set(key(o), deps);
    }
    const out: ObjectFinding[] = [];
    const done = new Set<string>();
    const reported = new Set<string>();
    const visit = (o: ClusterObject, stack: ClusterObject[]): void => {
      const k = key(o);
      const at = stack.findIndex((s) => key(s) === k);
      if (at >= 0) {
        const cycle = stack.slice(at);
        const members = cycle.map(key).sort();
        if (!reported.has(members.join(' '))) {
          reported.add(members.join(' '));
          const first = cycle.reduce((a, b) => (key(a) <= key(b) ? a : b));
          const next = cycle[(cycle.indexOf(first) + 1) % cycle.length]!;
          const edge = edges.get(key(first))!.find((e) => key(e.to) === key(next))!;
          out.push({
            ruleId: this.id,
            severity: 'error',
            message: `dependsOn cycle: ${[...cycle.slice(cycle.indexOf(first)), ...cycle.slice(0, cycle.indexOf(first)), first].map(label).join(' → ')}`,
            object: first,
            pointer: edge.pointer,
          });
        }
        return;
      }
      if (done.has(k)) return;
      for (const e of edges.get(k) ?? []) visit(e.to, [...stack, o]);
      done.add(k);
    };
    for (const o of cluster.objects) visit(o, []);
    return out;
  },
};
