// biome-ignore-all lint/suspicious/noExplicitAny: rendered objects of any kind, compared whole.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { bootstrap } from '../helm/fixtures.js';
import { localTool } from '../helpers/helm.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

/**
 * Differential test: the same releases rendered by fluxgate (HelmRelease, valuesFrom, helm-server)
 * and by `helm template` on the Helm SDK with Helm's own command-line values handling
 * (`helm-server template`: -f files in order, --set for a valuesFrom targetPath). The objects must
 * be the same, apart from what helm-controller and Helm's install add (origin labels,
 * managed-by, the release annotations, the release namespace on namespaced objects).
 */

const SUITE = path.resolve(import.meta.dirname, '../fixtures/helm/suite');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-helm-diff-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Obj = Record<string, any>;

function objects(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null && typeof o === 'object');
}

const idOf = (o: Obj) => `${o.kind}/${o.metadata?.name}`;

/** `helm template` of the suite chart, with these values files and --set flags. */
function helmTemplate(
  release: string,
  namespace: string,
  files: Record<string, string>,
  sets: string[],
): Obj[] {
  const args = ['template', '--namespace', namespace, '--kube-version', 'v1.37.2', '--include-crds'];
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(scratch, `${release}-${name}`);
    writeFileSync(file, text);
    args.push('-f', file);
  }
  for (const s of sets) args.push('--set', s);
  args.push(release, SUITE);
  return objects(execFileSync(localTool('helm-server'), args, { encoding: 'utf8' }));
}

const MARKERS = {
  labels: ['helm.toolkit.fluxcd.io/name', 'helm.toolkit.fluxcd.io/namespace', 'app.kubernetes.io/managed-by'],
  annotations: ['meta.helm.sh/release-name', 'meta.helm.sh/release-namespace'],
};

/** fluxgate's object without what helm-controller and Helm's install add where the chart sets nothing. */
function withoutMarkers(o: Obj, reference: Obj | undefined): Obj {
  const copy = structuredClone(o);
  for (const [field, keys] of Object.entries(MARKERS)) {
    const own = reference?.metadata?.[field] ?? {};
    for (const k of keys) if (!(k in own)) delete copy.metadata?.[field]?.[k];
    if (
      copy.metadata?.[field] &&
      Object.keys(copy.metadata[field]).length === 0 &&
      !reference?.metadata?.[field]
    )
      delete copy.metadata[field];
  }
  if (reference && reference.metadata?.namespace === undefined) delete copy.metadata?.namespace;
  return copy;
}

describe('HelmReleases: fluxgate against the Helm SDK (helm template)', () => {
  const cmValues =
    'replicaCount: 2\nconfig:\n  greeting: "{{ .Release.Name }} says hi"\n  extra:\n    a: "1"\n';
  const secretValues = 'password: s3cr3t-from-secret\nimage:\n  tag: 2.2.0\n';
  const specValues = { podAnnotations: { owner: 'team-a' }, config: { extra: { b: 'two' } } };
  const root = tempRepo({
    ...bootstrap,
    'clusters/prod/apps.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: apps
---
apiVersion: v1
kind: Namespace
metadata:
  name: other
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: suite-values
  namespace: apps
data:
  values.yaml: |
${cmValues.replace(/^/gm, '    ').trimEnd()}
  message: from-a-configmap-key
---
apiVersion: v1
kind: Secret
metadata:
  name: suite-secret
  namespace: apps
data:
  values.yaml: ${Buffer.from(secretValues).toString('base64')}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: suite
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/suite
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  test:
    enable: true
  valuesFrom:
    - kind: ConfigMap
      name: suite-values
    - kind: Secret
      name: suite-secret
    - kind: ConfigMap
      name: suite-values
      valuesKey: message
      targetPath: sub.message
  values: ${JSON.stringify(specValues)}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: suite2
  namespace: apps
spec:
  interval: 10m
  targetNamespace: other
  chart:
    spec:
      chart: ./charts/suite
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  test:
    enable: true
  values:
    sub:
      enabled: false
    service:
      type: NodePort
`,
  });
  cpSync(SUITE, path.join(root, 'charts/suite'), { recursive: true });

  const fluxgate = (async () => {
    const run = await runCli(['build', '--cluster', 'prod', '--show-secrets'], {
      cwd: root,
      env: process.env,
    });
    expect(run.code, run.stderr).toBe(0);
    return objects(run.stdout);
  })();

  const cases = [
    {
      name: 'suite (valuesFrom ConfigMap and Secret, a targetPath, spec.values, hooks, tests, a subchart, CRDs)',
      release: 'suite',
      namespace: 'apps',
      reference: () =>
        helmTemplate(
          'suite',
          'apps',
          { cm: cmValues, secret: secretValues, spec: JSON.stringify(specValues) },
          ['sub.message=from-a-configmap-key'],
        ),
    },
    {
      name: 'suite2 (targetNamespace: release other-suite2 in namespace other, a disabled subchart)',
      release: 'suite2',
      namespace: 'other',
      reference: () =>
        helmTemplate(
          'other-suite2',
          'other',
          { spec: 'sub:\n  enabled: false\nservice:\n  type: NodePort\n' },
          [],
        ),
    },
  ];

  for (const c of cases)
    it(c.name, async () => {
      const ours = (await fluxgate).filter(
        (o) => o.metadata?.labels?.['helm.toolkit.fluxcd.io/name'] === c.release,
      );
      const theirs = c.reference();
      expect(ours.map(idOf).sort()).toEqual(theirs.map(idOf).sort());
      for (const o of ours) {
        // What helm-controller adds to every object, and the namespace Helm creates it in.
        expect(o.metadata.labels['helm.toolkit.fluxcd.io/namespace']).toBe('apps');
        if (o.kind !== 'CustomResourceDefinition') expect(o.metadata.namespace).toBe(c.namespace);
        const reference = theirs.find((t) => idOf(t) === idOf(o));
        expect(withoutMarkers(o, reference), idOf(o)).toEqual(reference);
      }
      // Manifests, the pre-install hook, the test pod, the subchart's ConfigMap (suite), the CRD.
      expect(theirs.length).toBe(c.release === 'suite' ? 8 : 7);
    });
});
