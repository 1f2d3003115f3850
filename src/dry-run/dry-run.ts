import type { Config } from '../config/config.js';
import type { Diagnostic, ResourceId, Severity } from '../core/diagnostic.js';
import { ToolError, UsageError } from '../core/errors.js';
import type { SecretSet } from '../core/secret-set.js';
import { isRecord } from '../load/resource.js';
import { renderedDiagnostic } from '../model/locate-rendered.js';
import type { RenderStage } from '../model/render-stage.js';
import type { ClusterResource, RenderedCluster } from '../model/types.js';
import { Pool } from '../render/kustomize/pool.js';
import { explainRefusal, fieldPathToPointer, isImmutableFieldChange, type KubeStatus } from './explain.js';
import { connect, type KubeClient } from './kube-client.js';

export interface DryRunOptions {
  /** `--kubeconfig` (default: KUBECONFIG, then ~/.kube/config). */
  kubeconfig?: string | undefined;
  /** `--context`: for the cluster named by `cluster`, or the only cluster. */
  context?: string | undefined;
  cluster?: string | undefined;
  /** `--impersonate-flux`: send a Kustomization's objects as its spec.serviceAccountName. */
  impersonateFlux?: boolean;
  /** Requests at once per cluster (default 8). */
  concurrency?: number;
  timeoutMs?: number;
}

export interface DryRunInput {
  config: Config;
  render: RenderStage;
  /** Findings so far: objects with a schema error are not sent again (the server would refuse them too). */
  found: readonly Diagnostic[];
  options: DryRunOptions;
  env: Readonly<Record<string, string | undefined>>;
  /** Receives the kubeconfig's credentials (the report scrubs them). */
  secrets?: SecretSet | undefined;
  debug?: ((message: string) => void) | undefined;
}

/** What the API server serves: `apiVersion/kind` → its resource name and scope. */
interface Served {
  plural: string;
  namespaced: boolean;
}

const FIELD_MANAGER = 'kustomize-controller';

async function discover(client: KubeClient): Promise<Map<string, Served>> {
  const served = new Map<string, Served>();
  const versions: string[] = ['/api/v1'];
  const groups = await client.request('GET', '/apis');
  if (groups.status !== 200) throw new ToolError(`GET /apis on ${client.server}: HTTP ${groups.status}`);
  for (const g of (groups.body as { groups?: { versions?: { groupVersion: string }[] }[] }).groups ?? [])
    for (const v of g.versions ?? []) versions.push(`/apis/${v.groupVersion}`);
  await Promise.all(
    versions.map(async (path) => {
      const res = await client.request('GET', path);
      if (res.status !== 200) return;
      const body = res.body as {
        groupVersion?: string;
        resources?: { name: string; kind: string; namespaced: boolean }[];
      };
      for (const r of body.resources ?? [])
        if (!r.name.includes('/'))
          served.set(`${body.groupVersion}/${r.kind}`, { plural: r.name, namespaced: r.namespaced });
    }),
  );
  return served;
}

async function namespaces(client: KubeClient): Promise<Set<string>> {
  const res = await client.request('GET', '/api/v1/namespaces');
  if (res.status === 403)
    throw new ToolError(
      `user "${client.user}" may not list namespaces on ${client.server}; the dry run needs to`,
    );
  if (res.status !== 200)
    throw new ToolError(`GET /api/v1/namespaces on ${client.server}: HTTP ${res.status}`);
  return new Set(
    ((res.body as { items?: { metadata: { name: string } }[] }).items ?? []).map((n) => n.metadata.name),
  );
}

const display = (id: ResourceId) => `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
const idKey = (id: ResourceId) => `${id.apiVersion}/${id.kind}/${id.namespace ?? ''}/${id.name}`;

/** The context each cluster is dry-run against; a usage error when `--context` is ambiguous. */
function contexts(input: DryRunInput): Map<string, string | undefined> {
  const { render, config, options } = input;
  const names = render.clusters.map((c) => c.name);
  if (options.cluster !== undefined && !names.includes(options.cluster))
    throw new UsageError(
      `--cluster ${options.cluster}: no such cluster (clusters: ${names.join(', ') || 'none'})`,
    );
  if (options.context !== undefined && options.cluster === undefined && names.length !== 1)
    throw new UsageError(
      `--context applies to one cluster: name it with --cluster (clusters: ${names.join(', ') || 'none'}), or map each cluster's context in .fluxgate.yaml`,
    );
  const out = new Map<string, string | undefined>();
  for (const name of names) {
    if (options.cluster !== undefined && name !== options.cluster) continue;
    out.set(name, options.context ?? config.clusters[name]?.context);
  }
  return out;
}

/**
 * The dry-run stage (ARCHITECTURE.md stage 6): every rendered cluster with a kubeconfig context is
 * sent to its API server as kustomize-controller applies (server-side apply, field manager
 * kustomize-controller, forced), with dryRun=All, so nothing is stored. What only the render has
 * (a new namespace, a new CRD's kinds) cannot be dry-run and is reported as info; so are SOPS and
 * unknown values, and Kustomizations that apply to another cluster (spec.kubeConfig).
 */
export async function runDryRun(input: DryRunInput): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const schemaErrors = new Set(
    input.found
      .filter((d) => d.source === 'schema' && d.severity === 'error' && d.resource && d.cluster)
      .map((d) => `${d.cluster}|${idKey(d.resource!)}`),
  );
  for (const [name, context] of contexts(input)) {
    const cluster = input.render.clusters.find((c) => c.name === name)!;
    if (!context) {
      const first = cluster.resources[0];
      if (first)
        out.push(
          finding(
            input,
            cluster,
            first,
            '',
            'dry-run/skipped-cluster',
            'info',
            `cluster ${name} has no kubeconfig context (clusters.${name}.context in .fluxgate.yaml, or --context): not dry-run`,
          ),
        );
      continue;
    }
    out.push(...(await dryRunCluster(input, cluster, context, schemaErrors)));
  }
  return out;
}

function finding(
  input: DryRunInput,
  cluster: RenderedCluster,
  resource: ClusterResource,
  pointer: string,
  ruleId: string,
  severity: Severity,
  message: string,
): Diagnostic {
  return renderedDiagnostic(input.render, cluster, resource, pointer, {
    ruleId,
    severity,
    message,
    source: 'dry-run',
  });
}

async function dryRunCluster(
  input: DryRunInput,
  cluster: RenderedCluster,
  context: string,
  schemaErrors: ReadonlySet<string>,
): Promise<Diagnostic[]> {
  const started = performance.now();
  const client = await connect({
    kubeconfig: input.options.kubeconfig,
    context,
    env: input.env,
    secrets: input.secrets,
    ...(input.options.timeoutMs ? { timeoutMs: input.options.timeoutMs } : {}),
  });
  try {
    return await sendCluster(input, cluster, context, schemaErrors, client, started);
  } finally {
    client.close();
  }
}

async function sendCluster(
  input: DryRunInput,
  cluster: RenderedCluster,
  context: string,
  schemaErrors: ReadonlySet<string>,
  client: KubeClient,
  started: number,
): Promise<Diagnostic[]> {
  const [served, existing] = await Promise.all([discover(client), namespaces(client)]);
  const out: Diagnostic[] = [];
  const once = new Set<string>();
  const note = (key: string, make: () => Diagnostic) => {
    if (once.has(key)) return;
    once.add(key);
    out.push(make());
  };
  const ks = new Map<string, ClusterResource>();
  for (const r of cluster.resources)
    if (r.id.kind === 'Kustomization' && r.id.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'))
      ks.set(`${r.id.namespace ?? 'default'}/${r.id.name}`, r);
  const renderedNamespaces = new Set(
    cluster.resources
      .filter((r) => r.id.apiVersion === 'v1' && r.id.kind === 'Namespace')
      .map((r) => r.id.name),
  );
  const renderedCrds = new Map<string, ClusterResource>();
  for (const r of cluster.resources) {
    if (r.id.kind !== 'CustomResourceDefinition') continue;
    const spec = isRecord(r.value.spec) ? r.value.spec : {};
    const kind = isRecord(spec.names) ? spec.names.kind : undefined;
    for (const v of Array.isArray(spec.versions) ? spec.versions : [])
      if (isRecord(v) && typeof kind === 'string')
        renderedCrds.set(`${String(spec.group)}/${String(v.name)}/${kind}`, r);
  }

  const pool = new Pool(input.options.concurrency ?? 8);
  let sent = 0;
  await Promise.all(
    cluster.resources.map((resource) =>
      pool.run(async () => {
        const owner = resource.appliedBy
          ? ks.get(`${resource.appliedBy.namespace}/${resource.appliedBy.name}`)
          : undefined;
        const ownerSpec = owner && isRecord(owner.value.spec) ? owner.value.spec : {};
        if (owner && ownerSpec.kubeConfig !== undefined) {
          note(`remote ${resource.appliedBy!.namespace}/${resource.appliedBy!.name}`, () =>
            finding(
              input,
              cluster,
              owner,
              '/spec/kubeConfig',
              'dry-run/skipped-remote',
              'info',
              `Kustomization ${resource.appliedBy!.namespace}/${resource.appliedBy!.name} applies to another cluster (spec.kubeConfig): its objects are not dry-run against context ${context}`,
            ),
          );
          return;
        }
        if (schemaErrors.has(`${cluster.name}|${idKey(resource.id)}`)) return;
        if (resource.value.sops !== undefined || (resource.unknown?.length ?? 0) > 0) {
          out.push(
            finding(
              input,
              cluster,
              resource,
              '',
              'dry-run/not-sent',
              'info',
              `${display(resource.id)} is not dry-run: ${resource.value.sops !== undefined ? 'it is SOPS-encrypted (Flux decrypts it; fluxgate cannot)' : 'some of its values come from variables fluxgate cannot see'}`,
            ),
          );
          return;
        }
        const kind = served.get(`${resource.id.apiVersion}/${resource.id.kind}`);
        if (!kind) {
          const crd = renderedCrds.get(`${resource.id.apiVersion}/${resource.id.kind}`);
          if (crd) {
            note(`crd ${crd.id.name}`, () =>
              finding(
                input,
                cluster,
                crd,
                '',
                'dry-run/skipped-new-crd',
                'info',
                `CustomResourceDefinition ${crd.id.name} is new (not served by the cluster yet): its objects are checked against its schema here, not by the API server`,
              ),
            );
            return;
          }
          out.push(
            finding(
              input,
              cluster,
              resource,
              '/apiVersion',
              'dry-run/rejected',
              'error',
              `${display(resource.id)}: the API server of context ${context} does not serve ${resource.id.apiVersion} ${resource.id.kind}; Flux cannot apply it`,
            ),
          );
          return;
        }
        const namespace = kind.namespaced ? (resource.id.namespace ?? 'default') : undefined;
        if (namespace && !existing.has(namespace) && renderedNamespaces.has(namespace)) {
          const ns = cluster.resources.find((r) => r.id.kind === 'Namespace' && r.id.name === namespace)!;
          note(`ns ${namespace}`, () =>
            finding(
              input,
              cluster,
              ns,
              '',
              'dry-run/skipped-new-namespace',
              'info',
              `namespace ${namespace} is new (not in the cluster yet): the objects in it are checked against their schemas here, not by the API server`,
            ),
          );
          return;
        }
        const [group, version] = resource.id.apiVersion.includes('/')
          ? resource.id.apiVersion.split('/')
          : ['', resource.id.apiVersion];
        const base = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
        const path = `${base}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${kind.plural}/${encodeURIComponent(resource.id.name)}?dryRun=All&fieldManager=${FIELD_MANAGER}&force=true`;
        const body =
          namespace && !resource.id.namespace
            ? { ...resource.value, metadata: { ...(resource.value.metadata as object), namespace } }
            : resource.value;
        const serviceAccount =
          typeof ownerSpec.serviceAccountName === 'string' ? ownerSpec.serviceAccountName : undefined;
        const impersonate =
          input.options.impersonateFlux && serviceAccount && owner
            ? `system:serviceaccount:${owner.id.namespace ?? 'default'}:${serviceAccount}`
            : undefined;
        sent++;
        const res = await client.request('PATCH', path, {
          body: JSON.stringify(body),
          contentType: 'application/apply-patch+yaml',
          ...(impersonate ? { impersonate } : {}),
        });
        if (res.status < 300) return;
        const status = (isRecord(res.body) ? res.body : { message: String(res.body) }) as KubeStatus;
        if (impersonate && res.status === 403 && /cannot impersonate/.test(status.message ?? ''))
          throw new ToolError(
            `--impersonate-flux: user "${client.user}" (context ${context}) may not impersonate ${impersonate}: ${status.message}`,
          );
        const immutable = isImmutableFieldChange(status) && ownerSpec.force === true;
        const severity: Severity = immutable ? 'info' : 'error';
        const who = impersonate ? ` (sent as ${impersonate}, as Flux applies it)` : '';
        const why = explainRefusal(status, res.status);
        const suffix = immutable
          ? '; Kustomization sets spec.force: true, so Flux deletes and recreates the object'
          : '';
        const causes = (status.details?.causes ?? []).filter(
          (c) => fieldPathToPointer(c.field) !== undefined,
        );
        if (status.reason === 'Invalid' && causes.length > 0) {
          for (const cause of causes)
            out.push(
              finding(
                input,
                cluster,
                resource,
                fieldPathToPointer(cause.field)!,
                'dry-run/rejected',
                severity,
                `${display(resource.id)}: the API server rejects ${cause.field}: ${cause.message ?? cause.reason ?? 'invalid'}${who}${suffix}`,
              ),
            );
          return;
        }
        out.push(
          finding(
            input,
            cluster,
            resource,
            '',
            'dry-run/rejected',
            severity,
            `${display(resource.id)}: ${why}${who}${suffix}`,
          ),
        );
      }),
    ),
  );
  input.debug?.(
    `dry-run ${cluster.name}: context ${context} (${client.server}), ${sent} objects sent, ${out.length} findings, ${(performance.now() - started).toFixed(0)} ms`,
  );
  return out;
}
