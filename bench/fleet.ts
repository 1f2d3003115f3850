import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A deterministic Flux fleet for benchmarks: clusters, each deploying `apps` applications as
 * Flux Kustomizations over per-environment overlays of shared bases. Same parameters, same bytes.
 */
export interface FleetParams {
  clusters: number;
  apps: number;
  /** Environments; cluster i belongs to environment i % environments. */
  environments: number;
  /** Extra ConfigMaps per app base, to scale the document count. */
  configMapsPerApp: number;
  /** Each app's Certificate, ServiceMonitor and HTTPRoute (catalog schemas); BENCH_CATALOG=0 leaves them out. */
  customResources: boolean;
}

/**
 * 4 x 60 apps x (11 objects + 34 ConfigMaps) gives just over 10,000 rendered resources; three of
 * each app's objects are custom resources whose schemas come from fluxgate's catalog.
 */
export const DEFAULT_FLEET: FleetParams = {
  clusters: 4,
  apps: 60,
  environments: 2,
  configMapsPerApp: 34,
  customResources: true,
};

/** The default fleet, resized by BENCH_CLUSTERS, BENCH_APPS, BENCH_CONFIGMAPS when set. */
export function fleetFromEnv(env: NodeJS.ProcessEnv): FleetParams {
  const num = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
  return {
    clusters: num('BENCH_CLUSTERS', DEFAULT_FLEET.clusters),
    apps: num('BENCH_APPS', DEFAULT_FLEET.apps),
    environments: DEFAULT_FLEET.environments,
    configMapsPerApp: num('BENCH_CONFIGMAPS', DEFAULT_FLEET.configMapsPerApp),
    customResources: env.BENCH_CATALOG !== '0',
  };
}

/** The app patch file the incremental cases change. */
export const CHANGED_FILE = 'apps/dev/app-000/replicas.yaml';

const ENV_NAMES = ['dev', 'prod', 'staging', 'qa'];

function envName(i: number): string {
  return ENV_NAMES[i] ?? `env${i}`;
}

function deployment(app: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  labels:
    app.kubernetes.io/name: ${app}
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: ${app}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${app}
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: app
          image: ghcr.io/example/${app}:1.0.0
          ports:
            - containerPort: 8080
              name: http
          resources:
            requests: { cpu: 50m, memory: 64Mi }
            limits: { cpu: 500m, memory: 256Mi }
          env:
            - name: CLUSTER
              value: \${cluster_name}
`;
}

function service(app: string): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${app}
spec:
  selector:
    app.kubernetes.io/name: ${app}
  ports:
    - port: 80
      targetPort: http
`;
}

function configMaps(app: string, n: number): string {
  return Array.from(
    { length: n },
    (_, i) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app}-config-${i}
data:
  key${i}: value-${i}
  region: westeurope
`,
  ).join('---\n');
}

function rbac(app: string): string {
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${app}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ${app}-reader
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ${app}-reader
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: ${app}-reader
subjects:
  - kind: ServiceAccount
    name: ${app}
`;
}

/** The custom resources most fleets have per app, checked with the catalog's schemas. */
export const CATALOG_GROUPS = ['cert-manager.io', 'monitoring.coreos.com', 'gateway.networking.k8s.io'];

function customResources(app: string): string {
  return `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: ${app}
spec:
  secretName: ${app}-tls
  issuerRef: { name: letsencrypt, kind: ClusterIssuer }
  dnsNames: [${app}.example.com]
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: ${app}
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: ${app}
  endpoints:
    - port: http
      interval: 30s
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${app}
spec:
  parentRefs:
    - name: internal
      namespace: gateway
  hostnames: [${app}.example.com]
  rules:
    - backendRefs:
        - name: ${app}
          port: 80
`;
}

function helmRelease(app: string): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${app}-cache
spec:
  interval: 30m
  chart:
    spec:
      chart: redis
      version: 20.1.4
      sourceRef:
        kind: HelmRepository
        name: bitnami
        namespace: flux-system
  values:
    architecture: standalone
`;
}

/** The chart every app's HelmRelease renders: kept in the fleet repository (charts/app). */
const CHART: Record<string, string> = {
  'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\nappVersion: "1.0.0"\n',
  'charts/app/values.yaml': `replicaCount: 1
image:
  repository: ghcr.io/example/worker
  tag: "1.0.0"
resources:
  requests: { cpu: 20m, memory: 32Mi }
  limits: { cpu: 200m, memory: 128Mi }
`,
  'charts/app/templates/_helpers.tpl': `{{- define "app.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
`,
  'charts/app/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-worker
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      app.kubernetes.io/instance: {{ .Release.Name }}
  template:
    metadata:
      labels:
        {{- include "app.labels" . | nindent 8 }}
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: worker
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
`,
  'charts/app/templates/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-worker
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  selector:
    app.kubernetes.io/instance: {{ .Release.Name }}
  ports:
    - port: 80
      targetPort: 8080
`,
};

/** A HelmRelease of the fleet's own chart (rendered by fluxgate, unlike the bitnami one). */
function workerRelease(app: string): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${app}-worker
spec:
  interval: 30m
  chart:
    spec:
      chart: ./charts/app
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  values:
    replicaCount: 2
    image:
      repository: ghcr.io/example/${app}-worker
`;
}

function write(root: string, file: string, text: string): void {
  const target = path.join(root, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, text);
}

/** Writes the fleet under `root`; returns the number of rendered resources it yields. */
export function generateFleet(
  root: string,
  params: FleetParams = DEFAULT_FLEET,
): { resources: number; files: number } {
  let files = 0;
  const put = (file: string, text: string) => {
    write(root, file, text);
    files++;
  };
  put('.fluxgate.yaml', 'clusterRoots: ["clusters/*"]\n');
  for (const [file, text] of Object.entries(CHART)) put(file, text);
  for (let a = 0; a < params.apps; a++) {
    const app = `app-${String(a).padStart(3, '0')}`;
    put(`apps/base/${app}/deployment.yaml`, deployment(app));
    put(`apps/base/${app}/service.yaml`, service(app));
    put(`apps/base/${app}/configmaps.yaml`, configMaps(app, params.configMapsPerApp));
    put(`apps/base/${app}/rbac.yaml`, rbac(app));
    put(`apps/base/${app}/helmrelease.yaml`, helmRelease(app));
    put(`apps/base/${app}/worker.yaml`, workerRelease(app));
    if (params.customResources) put(`apps/base/${app}/custom-resources.yaml`, customResources(app));
    put(
      `apps/base/${app}/kustomization.yaml`,
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - service.yaml\n  - configmaps.yaml\n  - rbac.yaml\n  - helmrelease.yaml\n  - worker.yaml\n${params.customResources ? '  - custom-resources.yaml\n' : ''}`,
    );
    for (let e = 0; e < params.environments; e++) {
      const env = envName(e);
      put(
        `apps/${env}/${app}/kustomization.yaml`,
        `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${app}
resources:
  - ../../base/${app}
  - namespace.yaml
patches:
  - path: replicas.yaml
images:
  - name: ghcr.io/example/${app}
    newTag: 1.0.${e}
`,
      );
      put(
        `apps/${env}/${app}/namespace.yaml`,
        `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${app}\n`,
      );
      put(
        `apps/${env}/${app}/replicas.yaml`,
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\nspec:\n  replicas: ${e + 1}\n`,
      );
    }
  }
  for (let c = 0; c < params.clusters; c++) {
    const env = envName(c % params.environments);
    const cluster = `${env}-${String(c).padStart(2, '0')}`;
    put(
      `clusters/${cluster}/flux-system/gotk-sync.yaml`,
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: ssh://git@ssh.dev.azure.com/v3/example/fleet/fleet
  ref:
    branch: main
  secretRef:
    name: flux-system
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/${cluster}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`,
    );
    put(
      `clusters/${cluster}/sources.yaml`,
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: bitnami
  namespace: flux-system
spec:
  interval: 1h
  url: https://charts.bitnami.com/bitnami
`,
    );
    put(
      `clusters/${cluster}/flux-system/kustomization.yaml`,
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - gotk-sync.yaml\n',
    );
    const ks = Array.from({ length: params.apps }, (_, a) => {
      const app = `app-${String(a).padStart(3, '0')}`;
      return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${app}
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/${env}/${app}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      cluster_name: ${cluster}
${a % 10 === 0 ? '' : `  dependsOn:\n    - name: app-${String(a - (a % 10)).padStart(3, '0')}\n`}`;
    });
    put(`clusters/${cluster}/apps.yaml`, ks.join('---\n'));
  }
  // Deployment, Service, Namespace, ServiceAccount, Role, RoleBinding, two HelmReleases, the
  // worker release's Deployment and Service + ConfigMaps (+ the three custom resources).
  const perApp = 10 + params.configMapsPerApp + (params.customResources ? 3 : 0);
  const resources = params.clusters * (3 + params.apps + params.apps * perApp);
  return { resources, files };
}
