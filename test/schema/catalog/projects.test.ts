import { describe, expect, it } from 'vitest';
import { schemaFindings } from '../helpers.js';

/**
 * One object per catalog project with a typo'd field (the line marked `# typo`): the catalog's
 * schema finds it at that line. Without the catalog these kinds have no schema at all.
 */
const CASES: Record<string, string> = {
  'cert-manager': `apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: web, namespace: apps }
spec:
  secretNmae: web-tls # typo
  issuerRef: { name: letsencrypt, kind: ClusterIssuer }
  dnsNames: [web.example.com]
`,
  'external-secrets': `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: { name: db, namespace: apps }
spec:
  refreshInterva: 1h # typo
  secretStoreRef: { name: vault, kind: ClusterSecretStore }
  target: { name: db }
`,
  'prometheus-operator': `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: web, namespace: apps }
spec:
  selector: { matchLabels: { app: web } }
  endpoints:
    - port: http
      intervall: 30s # typo
`,
  'gateway-api': `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web, namespace: apps }
spec:
  parentRef: # typo
    - name: internal
  rules:
    - backendRefs: [{ name: web, port: 80 }]
`,
  'envoy-gateway': `apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata: { name: web, namespace: apps }
spec:
  targetRefs: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, name: web }]
  loadBalancr: { type: RoundRobin } # typo
`,
  cilium: `apiVersion: cilium.io/v2
kind: CiliumLoadBalancerIPPool
metadata: { name: pool }
spec:
  block: # typo
    - cidr: 10.0.0.0/24
`,
  volsync: `apiVersion: volsync.backube/v1alpha1
kind: ReplicationSource
metadata: { name: data, namespace: apps }
spec:
  sourcePvc: data # typo
  trigger: { schedule: "0 * * * *" }
`,
  'grafana-operator': `apiVersion: grafana.integreatly.org/v1beta1
kind: GrafanaDashboard
metadata: { name: nodes, namespace: observability }
spec:
  instanceSelecter: { matchLabels: { dashboards: grafana } } # typo
  url: https://example.com/dashboard.json
`,
  'external-dns': `apiVersion: externaldns.k8s.io/v1alpha1
kind: DNSEndpoint
metadata: { name: web, namespace: apps }
spec:
  endpoints:
    - dnsname: web.example.com # typo
      recordType: A
      targets: [10.0.0.1]
`,
  'node-feature-discovery': `apiVersion: nfd.k8s-sigs.io/v1alpha1
kind: NodeFeatureRule
metadata: { name: gpu }
spec:
  rule: [] # typo
`,
  'flux-operator': `apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: apps, namespace: flux-system }
spec:
  input: [] # typo
  resources: []
`,
  'cloudnative-pg': `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: { name: db, namespace: apps }
spec:
  instance: 3 # typo
  storage: { size: 1Gi }
`,
  'barman-cloud-plugin': `apiVersion: barmancloud.cnpg.io/v1
kind: ObjectStore
metadata: { name: s3, namespace: apps }
spec:
  config: {} # typo
`,
  'snapshot-controller': `apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshotClass
metadata: { name: csi }
drivr: csi.example.com # typo
deletionPolicy: Delete
`,
  traefik: `apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: { name: headers, namespace: apps }
spec:
  header: {} # typo
`,
  kyverno: `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: require-labels }
spec:
  rule: [] # typo
`,
  istio: `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: apps }
spec:
  host: [web.example.com] # typo
`,
  keda: `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: worker, namespace: apps }
spec:
  scaleTargetRefs: { name: worker } # typo
  triggers: []
`,
  rook: `apiVersion: ceph.rook.io/v1
kind: CephCluster
metadata: { name: ceph, namespace: rook-ceph }
spec:
  cephversion: { image: quay.io/ceph/ceph:v19 } # typo
  dataDirHostPath: /var/lib/rook
`,
  metallb: `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: { name: pool, namespace: metallb-system }
spec:
  address: [10.0.0.0/24] # typo
`,
  multus: `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: { name: iot, namespace: apps }
spec:
  conifg: "{}" # typo
`,
  talos: `apiVersion: talos.dev/v1alpha1
kind: ServiceAccount
metadata: { name: backup, namespace: apps }
spec:
  role: [os:etcd:backup] # typo
`,
  flagger: `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: { name: web, namespace: apps }
spec:
  targetRefs: { apiVersion: apps/v1, kind: Deployment, name: web } # typo
  analysis: { interval: 1m, threshold: 5 }
`,
  crossplane: `apiVersion: pkg.crossplane.io/v1
kind: Provider
metadata: { name: provider-gcp }
spec:
  pkg: xpkg.upbound.io/upbound/provider-gcp:v1 # typo
`,
  tailscale: `apiVersion: tailscale.com/v1alpha1
kind: Connector
metadata: { name: router }
spec:
  subnetRouters: { advertiseRoutes: [10.0.0.0/24] } # typo
`,
  'postgres-operator': `apiVersion: acid.zalan.do/v1
kind: postgresql
metadata: { name: acid-db, namespace: apps }
spec:
  teamId: acid
  numberOfInstance: 2 # typo
  postgresql: { version: "16" }
  volume: { size: 1Gi }
`,
  toolhive: `apiVersion: toolhive.stacklok.dev/v1beta1
kind: MCPServer
metadata: { name: fetch, namespace: apps }
spec:
  image: ghcr.io/stackloklabs/gofetch/server:1.0.1
  transprt: streamable-http # typo
  proxyPort: 8080
`,
};

const typoLine = (text: string) => text.split('\n').findIndex((l) => l.includes('# typo')) + 1;

describe('catalog: a typo in a custom resource of each project is found at its line', () => {
  for (const [project, text] of Object.entries(CASES))
    it(project, async () => {
      const findings = await schemaFindings({ 'resource.yaml': text });
      expect(findings.filter((f) => f.ruleId === 'schema/missing')).toEqual([]);
      const unknown = findings.filter((f) => f.ruleId === 'schema/unknown-field');
      expect(unknown.map((f) => f.line)).toEqual([typoLine(text)]);
    });

  it('covers every project of the catalog', async () => {
    const { Catalog } = await import('../../../src/schema/catalog/catalog-index.js');
    expect(Object.keys(CASES).sort()).toEqual(new Catalog().projects.map((p) => p.project).sort());
  });
});
