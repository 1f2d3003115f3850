import { describe, expect, it } from 'vitest';
import { validate } from '../../../src/validate.js';
import { tempRepo } from '../../helpers/temp-repo.js';
import { miniBundleDir, tempDir } from '../helpers.js';

const helmRelease = (version: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: { name: jetstack, namespace: flux-system }
spec: { url: https://charts.jetstack.io, interval: 1h }
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: cert-manager, namespace: cert-manager }
spec:
  interval: 1h
  chart:
    spec:
      chart: cert-manager
      version: ${version}
      sourceRef: { kind: HelmRepository, name: jetstack, namespace: flux-system }
`;

// signatureAlgorithm: in cert-manager v1.21's Certificate, not in v1.17's.
const certificate = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: web, namespace: apps }
spec:
  secretName: web-tls
  signatureAlgorithm: ECDSAWithSHA256
  issuerRef: { name: letsencrypt, kind: ClusterIssuer }
  dnsNames: [web.example.com]
`;

const widget = `apiVersion: example.com/v1
kind: Widget
metadata: { name: w, namespace: apps }
`;

async function schemaDiagnostics(files: Record<string, string>) {
  const result = await validate({
    cwd: tempRepo(files),
    schema: { bundleDir: miniBundleDir(), offline: true, schemaCacheDir: tempDir() },
  });
  return result.diagnostics.filter((d) => d.source === 'schema');
}

describe('catalog: the release a cluster installs', () => {
  it('checks with the closest pinned release and says when a field is only in a newer one', async () => {
    const found = await schemaDiagnostics({
      'clusters/old/cert-manager.yaml': helmRelease('v1.17.x'),
      'clusters/old/certificate.yaml': certificate,
      'clusters/new/cert-manager.yaml': helmRelease('v1.21.1'),
      'clusters/new/certificate.yaml': certificate,
    });
    expect(found.map((d) => [d.cluster, d.ruleId, d.file, d.line])).toEqual([
      ['old', 'schema/unknown-field', 'clusters/old/certificate.yaml', 6],
    ]);
    expect(found[0]!.message).toBe(
      'unknown field "spec.signatureAlgorithm": only cert-manager v1.21.2 has it, this cluster installs v1.17 (HelmRelease cert-manager/cert-manager); checked with cert-manager v1.17.4',
    );
  });

  // onedr0p/home-ops installs external-secrets 2.9.0; the catalog's newest is v1.3.2.
  it('says a cluster installs a newer release than the catalog pins, and only warns', async () => {
    const found = await schemaDiagnostics({
      'clusters/next/cert-manager.yaml': helmRelease('v1.22.0'),
      'clusters/next/certificate.yaml': certificate.replace('secretName', 'secretNam'),
    });
    expect(found.map((d) => [d.ruleId, d.severity, d.line, d.message])).toEqual([
      [
        'schema/invalid',
        'warning',
        4,
        'missing required field "spec.secretName"; checked with cert-manager v1.21.2, older than the v1.22.0 this cluster installs (HelmRelease cert-manager/cert-manager), which may accept it',
      ],
      [
        'schema/unknown-field',
        'warning',
        5,
        'unknown field "spec.secretNam" (did you mean "secretName"?); checked with cert-manager v1.21.2, older than the v1.22.0 this cluster installs (HelmRelease cert-manager/cert-manager), which may accept it',
      ],
    ]);
  });

  it('uses the release that still serves an API version the newest no longer does', async () => {
    const found = await schemaDiagnostics({
      'store.yaml': `apiVersion: external-secrets.io/v1beta1
kind: ClusterSecretStore
metadata: { name: vault }
spec:
  providr: {}
`,
    });
    expect(found.map((d) => [d.ruleId, d.line, d.message])).toEqual([
      ['schema/invalid', 4, 'missing required field "spec.provider"'],
      ['schema/unknown-field', 5, 'unknown field "spec.providr" (did you mean "provider"?)'],
    ]);
  });

  it('reports a kind no source knows once per kind and cluster, naming the cluster', async () => {
    const found = await schemaDiagnostics({
      'clusters/a/widget.yaml': `${widget}---\n${widget.replace('name: w', 'name: w2')}`,
      'clusters/b/widget.yaml': widget,
    });
    expect(found.map((d) => [d.cluster, d.ruleId, d.line, d.message])).toEqual([
      [
        'a',
        'schema/missing',
        2,
        'no schema for example.com/v1 Widget (2 objects of this kind are not validated): add its CustomResourceDefinition to the repository (a CRD file a kustomization lists) or a schemaLocations entry to .fluxgate.yaml',
      ],
      [
        'b',
        'schema/missing',
        2,
        'no schema for example.com/v1 Widget: add its CustomResourceDefinition to the repository (a CRD file a kustomization lists) or a schemaLocations entry to .fluxgate.yaml',
      ],
    ]);
  });

  it('says which versions the catalog serves a kind at, for an apiVersion no pinned release serves', async () => {
    const found = await schemaDiagnostics({
      'clusters/a/scrape.yaml': `apiVersion: monitoring.coreos.com/v1
kind: ScrapeConfig
metadata: { name: nodes, namespace: monitoring }
spec:
  staticConfigs: [{ targets: [nas:9100] }]
`,
    });
    expect(found.map((d) => [d.ruleId, d.line, d.message])).toEqual([
      [
        'schema/missing',
        2,
        expect.stringContaining(
          "no schema for monitoring.coreos.com/v1 ScrapeConfig; no release in fluxgate's catalog serves monitoring.coreos.com/v1 ScrapeConfig (prometheus-operator v0.94.0 serves it as monitoring.coreos.com/v1alpha1): add its CustomResourceDefinition",
        ),
      ],
    ]);
  });
});

describe('catalog: variables no postBuild substitutes', () => {
  const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web, namespace: apps }
spec:
  parentRefs: [{ name: internal }]
  hostnames: ['web.\${CLUSTER_DOMAIN}']
`;
  const ks = (postBuild: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, namespace: flux-system }
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef: { kind: GitRepository, name: flux-system }
${postBuild}`;

  // xunholy/k8s-gitops: a mutating webhook adds postBuild to every Kustomization in the cluster.
  it('are unknown values where the Kustomization has no postBuild, and substituted where it has', async () => {
    const files = { 'apps/kustomization.yaml': 'resources: [route.yaml]\n', 'apps/route.yaml': route };
    const none = await schemaDiagnostics({ ...files, 'clusters/prod/apps.yaml': ks('') });
    expect(none.filter((d) => d.ruleId !== 'schema/missing')).toEqual([]);
    const bad = await schemaDiagnostics({
      ...files,
      'clusters/prod/apps.yaml': ks('  postBuild:\n    substitute: { CLUSTER_DOMAIN: Example_Org }\n'),
    });
    expect(bad.map((d) => [d.ruleId, d.file, d.line])).toEqual([['schema/invalid', 'apps/route.yaml', 6]]);
  });

  // tvories/k8s-gitops: a Taskfile applies its templates with `envsubst < x.tmpl.yaml | kubectl apply -f -`.
  it('in a template checked as written, $VAR is a placeholder too; the rest is still checked', async () => {
    const found = await schemaDiagnostics({
      'tasks/restore.tmpl.yaml': `apiVersion: volsync.backube/v1alpha1
kind: ReplicationDestination
metadata: { name: restore, namespace: '\${namespace}' }
spec:
  trigger: { manual: restore-once }
  restic:
    repository: restic-secret
    previous: $snapshot
    copyMethod: Direkt
`,
    });
    expect(found.map((d) => [d.ruleId, d.line, d.message])).toEqual([
      [
        'schema/invalid',
        9,
        'spec.restic.copyMethod: expected one of "Direct", "None", "Clone", "Snapshot"; found string "Direkt"',
      ],
    ]);
  });
});
