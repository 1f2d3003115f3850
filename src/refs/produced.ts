import { type ClusterObject, groupOf, record, str } from './cluster-view.js';

/**
 * Objects that controllers create from objects of the render: the Secret an ExternalSecret,
 * SealedSecret, OnePasswordItem, Vault secret or cert-manager Certificate writes. A reference to
 * one of them is satisfied in the cluster, though no manifest holds it.
 * (external-secrets.io ExternalSecret `spec.target.name`; bitnami.com SealedSecret; onepassword.com
 * OnePasswordItem; secrets.hashicorp.com Vault*Secret `spec.destination.name`; cert-manager.io
 * Certificate `spec.secretName`; secrets.infisical.com InfisicalSecret `spec.managedSecretReference`.)
 */
export function producedObjects(objects: readonly ClusterObject[]): ClusterObject[] {
  const out: ClusterObject[] = [];
  const secret = (from: ClusterObject, name: string | undefined, namespace?: string) => {
    if (!name) return;
    out.push({
      id: { apiVersion: 'v1', kind: 'Secret', namespace: namespace ?? from.id.namespace ?? 'default', name },
      value: { produced: `${from.id.kind} ${from.id.namespace ?? ''}/${from.id.name}` },
    });
  };
  for (const o of objects) {
    const group = groupOf(o.id.apiVersion);
    const spec = record(o.value.spec);
    const metadata = record(o.value.metadata);
    if (group === 'external-secrets.io' && o.id.kind === 'ExternalSecret')
      secret(o, str(record(spec?.target)?.name) ?? o.id.name);
    else if (group === 'bitnami.com' && o.id.kind === 'SealedSecret')
      secret(o, str(record(record(spec?.template)?.metadata)?.name) ?? o.id.name);
    else if (group === 'onepassword.com' && o.id.kind === 'OnePasswordItem') secret(o, str(metadata?.name));
    else if (group === 'secrets.hashicorp.com' && /^Vault(Static|Dynamic|PKI)Secret$/.test(o.id.kind))
      secret(o, str(record(spec?.destination)?.name));
    else if (group === 'cert-manager.io' && o.id.kind === 'Certificate') secret(o, str(spec?.secretName));
    else if (group === 'secrets.infisical.com' && o.id.kind === 'InfisicalSecret') {
      const managed = record(spec?.managedSecretReference);
      secret(o, str(managed?.secretName), str(managed?.secretNamespace));
    }
  }
  return out;
}
