/**
 * Kubernetes API versions that were removed (or are deprecated), hand-maintained from the
 * Kubernetes deprecated API migration guide:
 * https://kubernetes.io/docs/reference/using-api/deprecation-guide/
 * `removedIn` is the first Kubernetes minor that no longer serves the version.
 */
export interface KubernetesApiChange {
  apiVersion: string;
  kinds: string[];
  /** apiVersion to use instead (`undefined`: no replacement). */
  replacement?: string;
  deprecatedIn?: string;
  removedIn?: string;
  note?: string;
}

const WORKLOADS = ['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet'];
const RBAC = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];

export const KUBERNETES_API_CHANGES: KubernetesApiChange[] = [
  // v1.16
  { apiVersion: 'extensions/v1beta1', kinds: WORKLOADS, replacement: 'apps/v1', removedIn: '1.16' },
  { apiVersion: 'apps/v1beta1', kinds: WORKLOADS, replacement: 'apps/v1', removedIn: '1.16' },
  { apiVersion: 'apps/v1beta2', kinds: WORKLOADS, replacement: 'apps/v1', removedIn: '1.16' },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['NetworkPolicy'],
    replacement: 'networking.k8s.io/v1',
    removedIn: '1.16',
  },
  // v1.22
  {
    apiVersion: 'admissionregistration.k8s.io/v1beta1',
    kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    replacement: 'admissionregistration.k8s.io/v1',
    removedIn: '1.22',
  },
  {
    apiVersion: 'apiextensions.k8s.io/v1beta1',
    kinds: ['CustomResourceDefinition'],
    replacement: 'apiextensions.k8s.io/v1',
    removedIn: '1.22',
  },
  {
    apiVersion: 'apiregistration.k8s.io/v1beta1',
    kinds: ['APIService'],
    replacement: 'apiregistration.k8s.io/v1',
    removedIn: '1.22',
  },
  {
    apiVersion: 'authentication.k8s.io/v1beta1',
    kinds: ['TokenReview'],
    replacement: 'authentication.k8s.io/v1',
    removedIn: '1.22',
  },
  {
    apiVersion: 'authorization.k8s.io/v1beta1',
    kinds: ['SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview'],
    replacement: 'authorization.k8s.io/v1',
    removedIn: '1.22',
  },
  {
    apiVersion: 'certificates.k8s.io/v1beta1',
    kinds: ['CertificateSigningRequest'],
    replacement: 'certificates.k8s.io/v1',
    removedIn: '1.22',
  },
  {
    apiVersion: 'coordination.k8s.io/v1beta1',
    kinds: ['Lease'],
    replacement: 'coordination.k8s.io/v1',
    removedIn: '1.22',
  },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['Ingress'],
    replacement: 'networking.k8s.io/v1',
    removedIn: '1.22',
  },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kinds: ['Ingress', 'IngressClass'],
    replacement: 'networking.k8s.io/v1',
    removedIn: '1.22',
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1beta1',
    kinds: RBAC,
    replacement: 'rbac.authorization.k8s.io/v1',
    removedIn: '1.22',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1beta1',
    kinds: ['PriorityClass'],
    replacement: 'scheduling.k8s.io/v1',
    removedIn: '1.22',
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
    replacement: 'storage.k8s.io/v1',
    removedIn: '1.22',
  },
  // v1.25
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], replacement: 'batch/v1', removedIn: '1.25' },
  {
    apiVersion: 'discovery.k8s.io/v1beta1',
    kinds: ['EndpointSlice'],
    replacement: 'discovery.k8s.io/v1',
    removedIn: '1.25',
  },
  {
    apiVersion: 'events.k8s.io/v1beta1',
    kinds: ['Event'],
    replacement: 'events.k8s.io/v1',
    removedIn: '1.25',
  },
  {
    apiVersion: 'autoscaling/v2beta1',
    kinds: ['HorizontalPodAutoscaler'],
    replacement: 'autoscaling/v2',
    removedIn: '1.25',
  },
  {
    apiVersion: 'policy/v1beta1',
    kinds: ['PodDisruptionBudget'],
    replacement: 'policy/v1',
    removedIn: '1.25',
  },
  {
    apiVersion: 'policy/v1beta1',
    kinds: ['PodSecurityPolicy'],
    removedIn: '1.25',
    note: 'use Pod Security Admission instead',
  },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['PodSecurityPolicy'],
    removedIn: '1.16',
    note: 'use Pod Security Admission instead',
  },
  {
    apiVersion: 'node.k8s.io/v1beta1',
    kinds: ['RuntimeClass'],
    replacement: 'node.k8s.io/v1',
    removedIn: '1.25',
  },
  // v1.26
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1',
    kinds: ['FlowSchema', 'PriorityLevelConfiguration'],
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
    removedIn: '1.26',
  },
  {
    apiVersion: 'autoscaling/v2beta2',
    kinds: ['HorizontalPodAutoscaler'],
    replacement: 'autoscaling/v2',
    removedIn: '1.26',
  },
  // v1.27
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIStorageCapacity'],
    replacement: 'storage.k8s.io/v1',
    removedIn: '1.27',
  },
  // v1.29
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
    kinds: ['FlowSchema', 'PriorityLevelConfiguration'],
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
    removedIn: '1.29',
  },
  // v1.32
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
    kinds: ['FlowSchema', 'PriorityLevelConfiguration'],
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
    removedIn: '1.32',
  },
  // Deprecated, still served.
  {
    apiVersion: 'v1',
    kinds: ['ComponentStatus'],
    deprecatedIn: '1.19',
    note: 'the API reports nothing reliable',
  },
  {
    apiVersion: 'v1',
    kinds: ['Endpoints'],
    replacement: 'discovery.k8s.io/v1',
    deprecatedIn: '1.33',
    note: 'use EndpointSlice',
  },
];
