import { isRecord } from '../../load/resource.js';
import type { RenderedResource } from '../../render/types.js';

/**
 * Kubernetes kinds that are not namespaced (kube-apiserver's discovery, v1.37): an object of one
 * of them is created without a namespace whatever the release's namespace.
 */
const CLUSTER_SCOPED = new Set([
  'v1/Namespace',
  'v1/Node',
  'v1/PersistentVolume',
  'v1/ComponentStatus',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy',
  'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'authentication.k8s.io/TokenReview',
  'authentication.k8s.io/SelfSubjectReview',
  'authorization.k8s.io/SelfSubjectAccessReview',
  'authorization.k8s.io/SelfSubjectRulesReview',
  'authorization.k8s.io/SubjectAccessReview',
  'certificates.k8s.io/CertificateSigningRequest',
  'certificates.k8s.io/ClusterTrustBundle',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'internal.apiserver.k8s.io/StorageVersion',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/IPAddress',
  'networking.k8s.io/ServiceCIDR',
  'node.k8s.io/RuntimeClass',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'resource.k8s.io/DeviceClass',
  'resource.k8s.io/DeviceTaintRule',
  'resource.k8s.io/ResourceSlice',
  'scheduling.k8s.io/PriorityClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/VolumeAttachment',
  'storage.k8s.io/VolumeAttributesClass',
  'storagemigration.k8s.io/StorageVersionMigration',
]);

function groupKind(apiVersion: string, kind: string): string {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : 'v1';
  return `${group}/${kind}`;
}

/** `group/Kind` of the cluster-scoped custom resources the cluster's CRDs define. */
export function clusterScopedKinds(objects: Iterable<Pick<RenderedResource, 'id' | 'value'>>): Set<string> {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.id.kind !== 'CustomResourceDefinition') continue;
    const spec = isRecord(o.value.spec) ? o.value.spec : {};
    if (spec.scope === 'Cluster' && typeof spec.group === 'string' && isRecord(spec.names))
      out.add(`${spec.group}/${String(spec.names.kind)}`);
  }
  return out;
}

/**
 * Helm creates a namespaced object that names no namespace in the release's namespace (its
 * Kubernetes client builds objects with the release namespace as default): set it, so references
 * and policies see where the object lives.
 */
export function inReleaseNamespace(
  object: Record<string, unknown>,
  namespace: string,
  clusterScoped: ReadonlySet<string>,
): Record<string, unknown> {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const key = groupKind(apiVersion, kind);
  if (CLUSTER_SCOPED.has(key) || clusterScoped.has(key)) return object;
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  if (typeof metadata.namespace === 'string' && metadata.namespace !== '') return object;
  return { ...object, metadata: { ...metadata, namespace } };
}
