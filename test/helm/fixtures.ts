// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Helm templates use `{{ ... }}`; `${...}` builds them.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/** A cluster `prod` bootstrapped from this repository (clusters/prod is its root). */
export const bootstrap = {
  'clusters/prod/flux-system/gotk-sync.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://github.com/acme/fleet
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/prod
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`,
};

/** A small chart: a Deployment and a Service from values, optionally a values schema. */
export function chart(dir: string, options: { name?: string; version?: string; schema?: boolean } = {}) {
  const name = options.name ?? 'web';
  const files: Record<string, string> = {
    [`${dir}/Chart.yaml`]: `apiVersion: v2\nname: ${name}\nversion: ${options.version ?? '1.0.0'}\n`,
    [`${dir}/values.yaml`]: `replicas: 1
image:
  repository: ghcr.io/acme/web
  tag: "1.2.3"
resources:
  requests: { cpu: 10m, memory: 32Mi }
  limits: { memory: 64Mi }
`,
    [`${dir}/templates/deployment.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
    app.kubernetes.io/name: {{ .Chart.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app.kubernetes.io/instance: {{ .Release.Name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/instance: {{ .Release.Name }}
    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile: { type: RuntimeDefault }
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: { drop: [ALL] }
          resources: {{- toYaml .Values.resources | nindent 12 }}
`,
    [`${dir}/templates/service.yaml`]: `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
spec:
  selector:
    app.kubernetes.io/instance: {{ .Release.Name }}
  ports:
    - port: 80
`,
  };
  if (options.schema)
    files[`${dir}/values.schema.json`] = JSON.stringify(
      {
        $schema: 'https://json-schema.org/draft-07/schema#',
        type: 'object',
        additionalProperties: false,
        properties: {
          replicas: { type: 'integer', minimum: 1 },
          image: {
            type: 'object',
            additionalProperties: false,
            properties: { repository: { type: 'string' }, tag: { type: 'string' } },
          },
          resources: { type: 'object' },
        },
      },
      null,
      2,
    );
  return files;
}

/** A HelmRelease of `./charts/web` in this repository, with extra spec lines (indented two spaces). */
export function release(spec = '', name = 'web'): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/web
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
${spec}`;
}

export const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n';

export type D = {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  message: string;
  cluster?: string;
  resource?: { kind: string; name: string; namespace?: string };
};

export interface Out {
  diagnostics: D[];
  summary: {
    coverage: {
      clusters: {
        name: string;
        helmReleases: {
          total: number;
          rendered: number;
          notAvailable: number;
          failed: number;
          notServed: number;
        };
      }[];
    };
  };
}

const caches: string[] = [];
afterEach(() => {
  for (const dir of caches.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A private cache directory for one test (builds, rendered releases, charts). */
export function cacheDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-helm-cache-'));
  caches.push(dir);
  return dir;
}

export async function validate(
  root: string,
  options: { cache?: string; args?: string[] } = {},
): Promise<Out> {
  const run = await runCli(['validate', '-f', 'json', '--fail-level', 'info', ...(options.args ?? [])], {
    cwd: root,
    env: { ...process.env, FLUXGATE_CACHE_DIR: options.cache ?? cacheDir(), FLUXGATE_DAEMON: '0' },
  });
  expect(run.stderr).toBe('');
  expect(run.code, run.stdout).toBeLessThan(2);
  return JSON.parse(run.stdout) as Out;
}

/** The findings of one rule as `file:line`. */
export function at(out: Out, ruleId: string): string[] {
  return out.diagnostics.filter((d) => d.ruleId === ruleId).map((d) => `${d.file}:${d.line}`);
}
