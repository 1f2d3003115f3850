import {
  type ClusterObject,
  type ClusterView,
  groupOf,
  type ObjectFinding,
  type RefCheck,
} from './cluster-view.js';

/**
 * Two Flux Kustomizations applying the same object fight over it: each apply overwrites the
 * other's, and pruning one deletes the object the other still wants.
 */
export const duplicateOwner: RefCheck = {
  id: 'refs/duplicate-owner',
  check(cluster: ClusterView): ObjectFinding[] {
    // A Kustomization with spec.kubeConfig applies to another cluster: the same object there is
    // a different object (a hub deploying one tenant namespace to each spoke).
    const targets = new Map<string, string>();
    const specs = new Map(cluster.kustomizations ?? []);
    for (const o of cluster.objects)
      if (o.id.kind === 'Kustomization' && groupOf(o.id.apiVersion) === 'kustomize.toolkit.fluxcd.io')
        specs.set(
          `${o.id.namespace ?? 'default'}/${o.id.name}`,
          (o.value.spec ?? {}) as Record<string, unknown>,
        );
    for (const [key, spec] of specs) {
      const kubeConfig = (spec as { kubeConfig?: Record<string, { name?: unknown }> }).kubeConfig;
      if (!kubeConfig) continue;
      const ref = kubeConfig.secretRef ?? kubeConfig.configMapRef;
      const ns = key.slice(0, key.indexOf('/'));
      targets.set(key, `${ns}/${kubeConfig.secretRef ? 'Secret' : 'ConfigMap'}/${String(ref?.name)}`);
    }
    const owners = new Map<string, ClusterObject[]>();
    for (const o of cluster.objects) {
      if (!o.appliedBy) continue;
      const target = targets.get(`${o.appliedBy.namespace}/${o.appliedBy.name}`) ?? '';
      const key = `${target}|${groupOf(o.id.apiVersion)}/${o.id.kind}/${o.id.namespace ?? ''}/${o.id.name}`;
      owners.set(key, [...(owners.get(key) ?? []), o]);
    }
    const out: ObjectFinding[] = [];
    for (const list of owners.values()) {
      const distinct = new Set(list.map((o) => `${o.appliedBy!.namespace}/${o.appliedBy!.name}`));
      if (distinct.size < 2) continue;
      for (const o of list) {
        const others = [...distinct].filter((k) => k !== `${o.appliedBy!.namespace}/${o.appliedBy!.name}`);
        out.push({
          ruleId: this.id,
          severity: 'error',
          message: `${o.id.kind} ${o.id.namespace ? `${o.id.namespace}/` : ''}${o.id.name} is also applied by Kustomization ${others.join(', ')}: they will overwrite and prune each other`,
          object: o,
          pointer: '',
        });
      }
    }
    return out;
  },
};
