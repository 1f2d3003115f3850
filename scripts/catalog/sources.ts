// The catalog's sources: which project, which released versions, where its CRDs are inside the
// project's Go module (https://go.dev/ref/mod#zip-files), and how a repository says which
// release a cluster installs. `npm run generate:catalog` reads this list and nothing else.
//
// Adding a project: its Go module must be served by the Go module proxy at that version; put
// the directory of its released CRD manifests in `paths` (the ones its release artefacts or its
// chart's crds/ are made from), its licence as SPDX (the generator checks the module's LICENSE
// says so), and the chart names whose version is the project's release in `charts`.
// Several versions of a project are kept only where their schemas differ in a way fleets meet
// (a version served by one release only, fields added since a release fleets still run).

export interface CatalogSource {
  /** Catalog id, kebab-case: what `--debug` and `fluxgate schemas list` name. */
  project: string;
  module: string;
  /** Pinned releases, newest first. */
  versions: string[];
  /** A release published under another module path (a Go major version: `.../v2`). */
  moduleOf?: Record<string, string>;
  /** Files, or directories (ending in `/`, read recursively), inside the module that hold the CRD manifests. */
  paths: string[];
  /** Only files whose name matches (default: every .yaml/.yml under `paths`). */
  match?: RegExp;
  /** SPDX id of the module's licence, checked against its LICENSE file. */
  licence: string;
  /** Helm charts whose version is the project's release (HelmRelease, OCIRepository `ref.tag`). */
  charts?: string[];
  /** `owner/repo` on GitHub: a GitRepository tag or a kustomization URL `?ref=`/`/download/<tag>/` names the release. */
  repos?: string[];
  /** Charts of forks whose CRDs differ: a cluster installing one is not given the upstream schemas. */
  forks?: string[];
}

export const CATALOG_SOURCES: CatalogSource[] = [
  {
    project: 'cert-manager',
    module: 'github.com/cert-manager/cert-manager',
    // v1.17: the release fleets still pin (HelmRelease `version: v1.17.x`).
    versions: ['v1.21.2', 'v1.17.4'],
    paths: ['deploy/crds/'],
    licence: 'Apache-2.0',
    charts: ['cert-manager'],
    repos: ['cert-manager/cert-manager'],
  },
  {
    project: 'external-secrets',
    module: 'github.com/external-secrets/external-secrets',
    // v0.16 still serves external-secrets.io/v1beta1, which v1 releases no longer do.
    versions: ['v1.3.2', 'v0.16.2'],
    paths: ['config/crds/bases/'],
    licence: 'Apache-2.0',
    charts: ['external-secrets'],
    repos: ['external-secrets/external-secrets'],
  },
  {
    project: 'prometheus-operator',
    module: 'github.com/prometheus-operator/prometheus-operator',
    versions: ['v0.94.0'],
    paths: ['example/prometheus-operator-crd-full/'],
    licence: 'Apache-2.0',
    // kube-prometheus-stack and prometheus-operator-crds are versioned apart from the operator.
    repos: ['prometheus-operator/prometheus-operator'],
  },
  {
    project: 'gateway-api',
    module: 'sigs.k8s.io/gateway-api',
    versions: ['v1.6.3'],
    // The experimental channel: a superset of the standard one (TCPRoute, UDPRoute, ...).
    paths: ['config/crd/experimental/'],
    licence: 'Apache-2.0',
    repos: ['kubernetes-sigs/gateway-api'],
  },
  {
    project: 'envoy-gateway',
    module: 'github.com/envoyproxy/gateway',
    versions: ['v1.9.1'],
    // Only Envoy Gateway's own CRDs: the chart's other file is a copy of Gateway API's.
    paths: ['charts/gateway-helm/charts/crds/crds/generated/'],
    licence: 'Apache-2.0',
    charts: ['gateway-helm', 'gateway-crds-helm'],
    repos: ['envoyproxy/gateway'],
  },
  {
    project: 'cilium',
    module: 'github.com/cilium/cilium',
    // v1.17 still serves the v2alpha1 BGP kinds (CiliumBGPPeeringPolicy) that v1.18 removed.
    versions: ['v1.20.2', 'v1.17.1'],
    paths: ['pkg/k8s/apis/cilium.io/client/crds/'],
    licence: 'Apache-2.0',
    charts: ['cilium'],
    repos: ['cilium/cilium'],
  },
  {
    project: 'volsync',
    module: 'github.com/backube/volsync',
    versions: ['v0.16.0'],
    paths: ['config/crd/bases/'],
    licence: 'AGPL-3.0',
    charts: ['volsync'],
    repos: ['backube/volsync'],
    // perfectra1n's fork adds movers (kopia) the upstream CRDs do not have.
    forks: ['volsync-perfectra1n'],
  },
  {
    project: 'grafana-operator',
    module: 'github.com/grafana/grafana-operator/v5',
    versions: ['v5.25.0'],
    paths: ['config/crd/bases/'],
    licence: 'Apache-2.0',
    charts: ['grafana-operator'],
    repos: ['grafana/grafana-operator'],
  },
  {
    project: 'external-dns',
    module: 'sigs.k8s.io/external-dns',
    versions: ['v0.23.0'],
    paths: ['config/crd/standard/'],
    licence: 'Apache-2.0',
    // The external-dns chart is versioned apart from the application.
    repos: ['kubernetes-sigs/external-dns'],
  },
  {
    project: 'node-feature-discovery',
    module: 'sigs.k8s.io/node-feature-discovery',
    versions: ['v0.19.0'],
    paths: ['deployment/base/nfd-crds/'],
    licence: 'Apache-2.0',
    charts: ['node-feature-discovery'],
    repos: ['kubernetes-sigs/node-feature-discovery'],
  },
  {
    project: 'flux-operator',
    module: 'github.com/controlplaneio-fluxcd/flux-operator',
    versions: ['v0.59.0'],
    paths: ['config/crd/bases/'],
    licence: 'AGPL-3.0',
    charts: ['flux-operator'],
    repos: ['controlplaneio-fluxcd/flux-operator'],
  },
  {
    project: 'cloudnative-pg',
    module: 'github.com/cloudnative-pg/cloudnative-pg',
    versions: ['v1.30.0'],
    paths: ['config/crd/bases/'],
    licence: 'Apache-2.0',
    // The cloudnative-pg chart is versioned apart from the operator.
    repos: ['cloudnative-pg/cloudnative-pg'],
  },
  {
    project: 'barman-cloud-plugin',
    module: 'github.com/cloudnative-pg/plugin-barman-cloud',
    versions: ['v0.15.0'],
    paths: ['config/crd/bases/'],
    licence: 'Apache-2.0',
    repos: ['cloudnative-pg/plugin-barman-cloud'],
  },
  {
    project: 'snapshot-controller',
    module: 'github.com/kubernetes-csi/external-snapshotter/client/v8',
    versions: ['v8.7.0'],
    paths: ['config/crd/'],
    licence: 'Apache-2.0',
    repos: ['kubernetes-csi/external-snapshotter'],
  },
  {
    project: 'traefik',
    module: 'github.com/traefik/traefik/v3',
    // v2 also serves the traefik.containo.us group that v3 removed.
    versions: ['v3.7.13', 'v2.11.20'],
    moduleOf: { 'v2.11.20': 'github.com/traefik/traefik/v2' },
    paths: ['docs/content/reference/dynamic-configuration/'],
    match: /^traefik\.(io|containo\.us)_[a-z]+\.yaml$/,
    licence: 'MIT',
    repos: ['traefik/traefik'],
  },
  {
    project: 'kyverno',
    module: 'github.com/kyverno/kyverno',
    versions: ['v1.19.1'],
    paths: ['config/crds/kyverno/', 'config/crds/policies.kyverno.io/'],
    licence: 'Apache-2.0',
    repos: ['kyverno/kyverno'],
  },
  {
    project: 'istio',
    module: 'istio.io/api',
    versions: ['v1.32.0'],
    paths: ['kubernetes/customresourcedefinitions.gen.yaml'],
    licence: 'Apache-2.0',
    charts: ['istiod'],
    repos: ['istio/istio'],
  },
  {
    project: 'keda',
    module: 'github.com/kedacore/keda/v2',
    versions: ['v2.21.1'],
    paths: ['config/crd/bases/'],
    licence: 'Apache-2.0',
    charts: ['keda'],
    repos: ['kedacore/keda'],
  },
  {
    project: 'rook',
    module: 'github.com/rook/rook',
    versions: ['v1.20.6'],
    // Also holds the objectbucket.io CRDs (ObjectBucketClaim) that Rook installs.
    paths: ['deploy/examples/crds.yaml'],
    licence: 'Apache-2.0',
    charts: ['rook-ceph'],
    repos: ['rook/rook'],
  },
  {
    project: 'metallb',
    module: 'go.universe.tf/metallb',
    versions: ['v0.16.2'],
    paths: ['config/crd/bases/'],
    licence: 'Apache-2.0',
    charts: ['metallb'],
    repos: ['metallb/metallb'],
  },
  {
    project: 'multus',
    module: 'github.com/k8snetworkplumbingwg/network-attachment-definition-client',
    versions: ['v1.7.7'],
    paths: ['artifacts/networks-crd.yaml'],
    licence: 'Apache-2.0',
  },
  {
    project: 'talos',
    module: 'github.com/siderolabs/talos',
    versions: ['v1.11.5'],
    // The CRD Talos applies for its `talos.dev` ServiceAccounts: the golden file its template
    // test compares the applied manifest with.
    paths: [
      'internal/app/machined/pkg/controllers/k8s/internal/k8stemplates/testdata/talos-service-account-crd.yaml',
    ],
    licence: 'MPL-2.0',
  },
  {
    project: 'flagger',
    module: 'github.com/fluxcd/flagger',
    versions: ['v1.36.1'],
    paths: ['artifacts/flagger/crd.yaml'],
    licence: 'Apache-2.0',
    charts: ['flagger'],
    repos: ['fluxcd/flagger'],
  },
  {
    project: 'crossplane',
    module: 'github.com/crossplane/crossplane/v2',
    versions: ['v2.1.3'],
    paths: ['cluster/crds/'],
    licence: 'Apache-2.0',
    charts: ['crossplane'],
    repos: ['crossplane/crossplane'],
  },
  {
    project: 'tailscale',
    module: 'tailscale.com',
    versions: ['v1.102.5'],
    paths: ['cmd/k8s-operator/deploy/crds/'],
    licence: 'BSD-3-Clause',
    charts: ['tailscale-operator'],
    repos: ['tailscale/tailscale'],
  },
  {
    project: 'postgres-operator',
    module: 'github.com/zalando/postgres-operator',
    versions: ['v1.14.0'],
    paths: [
      'manifests/postgresql.crd.yaml',
      'manifests/postgresteam.crd.yaml',
      'manifests/operatorconfiguration.crd.yaml',
    ],
    licence: 'MIT',
    charts: ['postgres-operator'],
    repos: ['zalando/postgres-operator'],
  },
  {
    project: 'toolhive',
    module: 'github.com/stacklok/toolhive',
    versions: ['v0.63.0'],
    // The CRD chart's plain manifests (its templates/ are the same CRDs wrapped in Helm conditionals).
    paths: ['deploy/charts/operator-crds/files/crds/'],
    licence: 'Apache-2.0',
    charts: ['toolhive-operator-crds', 'toolhive-operator'],
    repos: ['stacklok/toolhive'],
  },
];
