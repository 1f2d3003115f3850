import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { tempRepo } from '../../helpers/temp-repo.js';

// A CRD of cert-manager's Certificate in the repository: it comes before the catalog's.
const certificateCrd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: certificates.cert-manager.io }
spec:
  group: cert-manager.io
  names: { kind: Certificate, plural: certificates }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, x-kubernetes-preserve-unknown-fields: true }
`;

const files = {
  'clusters/prod/crd.yaml': certificateCrd,
  'clusters/prod/certificate.yaml': `apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: web, namespace: apps }
spec: { secretNmae: web-tls }
`,
  'clusters/prod/monitor.yaml': `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: web, namespace: apps }
spec: { selector: {}, endpoints: [] }
`,
  'clusters/prod/cilium.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: { name: cilium, namespace: kube-system }
spec:
  interval: 1h
  url: oci://ghcr.io/home-operations/charts-mirror/cilium
  ref: { tag: 1.17.3 }
---
apiVersion: cilium.io/v2alpha1
kind: CiliumBGPPeeringPolicy
metadata: { name: bgp }
spec: { virtualRouters: [] }
`,
  'clusters/prod/widget.yaml': `apiVersion: example.com/v1
kind: Widget
metadata: { name: w, namespace: apps }
`,
};

describe('fluxgate schemas list', () => {
  it("names each kind's source in the order they are tried", async () => {
    const run = await runCli(['schemas', 'list', '--no-cache', '--offline', '-f', 'json'], {
      cwd: tempRepo(files),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { clusters } = JSON.parse(run.stdout) as {
      clusters: {
        cluster?: string;
        kinds: { kind: string; source: string; origin?: string; catalog?: unknown }[];
      }[];
    };
    expect(clusters.map((c) => c.cluster)).toEqual(['prod']);
    const byKind = Object.fromEntries(clusters[0]!.kinds.map((k) => [k.kind, k]));
    expect(byKind.Certificate).toMatchObject({
      source: 'repository',
      origin: 'CustomResourceDefinition certificates.cert-manager.io in clusters/prod/crd.yaml',
    });
    expect(byKind.CustomResourceDefinition?.source).toBe('bundled');
    expect(byKind.OCIRepository?.source).toBe('bundled');
    expect(byKind.ServiceMonitor).toMatchObject({
      source: 'catalog',
      catalog: { project: 'prometheus-operator', version: 'v0.94.0', licence: 'Apache-2.0' },
    });
    expect(byKind.CiliumBGPPeeringPolicy).toMatchObject({
      source: 'catalog',
      catalog: {
        project: 'cilium',
        version: 'v1.17.1',
        installed: { version: 'v1.17.3', from: 'OCIRepository kube-system/cilium' },
      },
    });
    expect(byKind.Widget?.source).toBe('none');
  });

  it('lists the catalog', async () => {
    const run = await runCli(['schemas', 'catalog'], { cwd: tempRepo({}) });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^cert-manager +v1\.21\.2, v1\.17\.4 +Apache-2\.0 +6 +github\.com\/cert-manager\/cert-manager$/m,
    );
  });

  it('validate: the repository CRD wins over the catalog', async () => {
    const certificateFindings = async (repo: Record<string, string>) => {
      const run = await runCli(['validate', '--no-cache', '-f', 'json'], { cwd: tempRepo(repo) });
      return (JSON.parse(run.stdout).diagnostics as { ruleId: string; resource?: { kind: string } }[])
        .filter((d) => d.resource?.kind === 'Certificate')
        .map((d) => d.ruleId);
    };
    expect(await certificateFindings(files)).not.toContain('schema/unknown-field');
    const { 'clusters/prod/crd.yaml': _crd, ...withoutCrd } = files;
    expect(await certificateFindings(withoutCrd)).toContain('schema/unknown-field');
  });
});
