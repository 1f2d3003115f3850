import type { Config } from '../config/config.js';
import type { CheckFocus } from '../core/check-focus.js';
import { type Diagnostic, type Severity, severityAtLeast } from '../core/diagnostic.js';
import type { PendingFinding } from '../core/pending.js';
import type { SourceFile } from '../load/resource.js';
import { builtInputs } from '../model/built-inputs.js';
import { toClusterView } from '../model/cluster-view.js';
import { noteHelmOrigins } from '../model/helm/helm-finding-note.js';
import { locateRendered, renderedDiagnostic, renderedPlace } from '../model/locate-rendered.js';
import type { RenderStage } from '../model/render-stage.js';
import type { ClusterResource, RenderedCluster } from '../model/types.js';
import type { UserPolicyDir } from '../policy/user-policies.js';
import { checkRefs } from '../refs/index.js';
import { Catalog } from '../schema/catalog/catalog-index.js';
import type { SchemaTarget } from '../schema/check-schemas.js';
import { placeholderPointers } from '../schema/placeholders.js';
import type { CrdSource } from '../schema/repo-crds.js';
import { detectFluxVersion, repoSchemaTargets } from '../schema/repo-targets.js';
import { type SchemaRunOptions, schemaCheck } from '../schema/run-schema-check.js';
import { catalogInstalls, outsideInstalls } from './catalog-installs.js';

export interface CheckStageInput {
  root: string;
  config: Config;
  render: RenderStage;
  /** Every loaded YAML file of the repository. */
  loaded: ReadonlyMap<string, SourceFile>;
  schema?: SchemaRunOptions;
  /** Policy check: user policy directories (`--policy`, `policies:`) and the environment opa is found in. */
  policy?: { userPolicies?: readonly UserPolicyDir[]; env?: Readonly<Record<string, string | undefined>> };
  /**
   * Changed-files mode: only the objects of these builds and files are checked one by one (schema,
   * resource-scope policies); cluster-wide checks still see every object.
   */
  focus?: CheckFocus;
  /** Which of schema, refs and policy run (default: all). */
  stages?: ReadonlySet<string>;
  debug?: (message: string) => void;
}

export type { CheckFocus } from '../core/check-focus.js';

function renderedTarget(
  render: RenderStage,
  cluster: RenderedCluster | undefined,
  resource: ClusterResource,
): SchemaTarget {
  const home = renderedPlace(render, cluster, resource, '');
  return {
    file: home.file,
    docIndex: home.docIndex,
    value: resource.value,
    id: resource.id,
    ...(cluster ? { cluster: cluster.name } : {}),
    place: (pointer) => {
      const at = locateRendered(render, cluster, resource, pointer);
      return { file: at.file, docIndex: at.docIndex, pointer: at.pointer };
    },
    ...(resource.unknown ? { unknown: resource.unknown } : {}),
  };
}

/**
 * Objects written in the files that the cluster's failed builds read (`kind/namespace/name` to
 * the file): a reference to one of them is not "not found" but waits for that build.
 */
function failedBuildObjects(
  render: RenderStage,
  cluster: RenderedCluster,
  loaded: ReadonlyMap<string, SourceFile>,
): Map<string, string> {
  const out = new Map<string, string>();
  const keys = new Set(cluster.targets);
  for (const build of render.builds) {
    if (build.status !== 'failed' || !keys.has(build.target.key)) continue;
    for (const file of build.inputs)
      for (const r of (loaded.get(file) ?? render.reader.get(file))?.resources ?? [])
        if (r.id) out.set(`${r.id.kind}/${r.id.namespace ?? ''}/${r.id.name}`, file);
  }
  return out;
}

/** Caps a finding on something Flux never applies (config `unreachedSeverity`). */
function cap(severity: Severity, limit: Severity): Severity {
  return severityAtLeast(severity, limit) ? limit : severity;
}

/**
 * The checks over what Flux will apply: schemas of every rendered resource (per cluster, then
 * standalone builds, then manifests no build reads, as they stand), and the Flux reference checks
 * per cluster. When the repository has clusters, findings on what no cluster applies are capped.
 */
export async function runChecks(input: CheckStageInput): Promise<Diagnostic[]> {
  let started = performance.now();
  const { render, config, loaded } = input;
  const placer = render.reader.placer;
  const hasClusters = render.clusters.length > 0;
  const limit = config.unreachedSeverity;

  const targets: SchemaTarget[] = [];
  const crds: CrdSource[] = [];
  const chartCrds: (CrdSource & { cluster?: string | undefined })[] = [];
  // By identity: each finding carries its target's `id` object, whatever file it is placed in.
  const unreached = new Set<unknown>();
  const { focus } = input;
  // Every CRD gives schemas, but only the objects in focus are validated.
  const addResource = (cluster: RenderedCluster | undefined, resource: ClusterResource) => {
    const focused = !focus || focus.targets.has(resource.target);
    const crd = resource.id.kind === 'CustomResourceDefinition';
    if (!focused && !crd) return undefined;
    const target = renderedTarget(render, cluster, resource);
    if (focused) targets.push(target);
    // A CRD a HelmRelease's chart installs is served by that cluster only (after the repository's).
    if (crd && resource.origin?.kind === 'helm')
      chartCrds.push({ file: target.file, value: resource.value, cluster: cluster?.name });
    else if (crd) crds.push({ file: target.file, value: resource.value });
    return target;
  };
  for (const cluster of render.clusters) {
    // A `${VAR}` left in what a Flux Kustomization without postBuild applies is substituted
    // outside Git if at all (a mutating webhook adding postBuild to every Kustomization,
    // xunholy/k8s-gitops): an unknown value, not a hostname that breaks a pattern.
    const plain = new Set(
      (cluster.kustomizations ?? []).filter((k) => !k.spec.postBuild).map((k) => `${k.namespace}/${k.name}`),
    );
    for (const r of cluster.resources) {
      const placeholders =
        r.appliedBy && plain.has(`${r.appliedBy.namespace}/${r.appliedBy.name}`)
          ? placeholderPointers(r.value)
          : [];
      addResource(
        cluster,
        placeholders.length > 0 ? { ...r, unknown: [...(r.unknown ?? []), ...placeholders] } : r,
      );
    }
  }
  for (const build of render.standalone) {
    for (const r of build.resources) {
      // Nothing substitutes a kustomization no Flux Kustomization applies: its `${VAR}`s and
      // `$VAR`s are a template's placeholders, not values (as for files checked as written).
      const placeholders = placeholderPointers(r.value, { shell: true });
      const target = addResource(
        undefined,
        placeholders.length > 0 ? { ...r, unknown: [...(r.unknown ?? []), ...placeholders] } : r,
      );
      if (target && hasClusters) unreached.add(target.id);
    }
  }
  const built = builtInputs(render);
  const unbuilt = new Map([...loaded].filter(([file]) => !built(file)));
  const asWritten = repoSchemaTargets(unbuilt, input.root);
  for (const t of asWritten.targets) {
    if (focus && !focus.files.has(t.file)) continue;
    targets.push(t);
    if (hasClusters) unreached.add(t.id);
  }
  crds.push(...asWritten.crds);

  const runs = (stage: string) => input.stages?.has(stage) ?? true;
  const lap = (what: string) => {
    const now = performance.now();
    input.debug?.(`${what}: ${(now - started).toFixed(0)} ms`);
    started = now;
  };
  lap('check: objects collected');
  // Each cluster is judged by the Flux it runs (config, else its manifests); objects outside any
  // cluster by the one release the repository installs, else the newest.
  const fluxVersion = input.schema?.fluxVersion;
  const repoFlux = detectFluxVersion(loaded.values());
  const byCluster = new Map(
    render.clusters.flatMap((c) => (c.fluxVersion ? [[c.name, c.fluxVersion.version]] : [])),
  );
  // Outside clusters: the release every cluster that says runs, else the install's header.
  const agreed = new Set(byCluster.values());
  const outside = agreed.size === 1 && byCluster.size === render.clusters.length ? [...agreed][0] : repoFlux;
  const fluxVersionOf = (cluster: string | undefined) =>
    cluster ? (config.clusters[cluster]?.fluxVersion ?? byCluster.get(cluster)) : outside;
  // The catalog checks each cluster's custom resources with the release the cluster installs.
  const catalog = new Catalog();
  const installs = runs('schema') ? catalogInstalls(catalog, render, loaded) : new Map();
  const schemaFindings = !runs('schema')
    ? []
    : await schemaCheck({
        targets,
        crds,
        chartCrds,
        catalog,
        installedOf: (cluster) => (cluster ? installs.get(cluster) : outsideInstalls(installs)),
        root: input.root,
        config,
        options: { ...input.schema, ...(fluxVersion ? { fluxVersion } : { fluxVersionOf }) },
        debug: input.debug,
      });
  lap('check: schemas');
  const out: Diagnostic[] = schemaFindings.map((f: PendingFinding) => {
    const placed = placer.place(f);
    return unreached.has(f.resource) ? { ...placed, severity: cap(placed.severity, limit) } : placed;
  });

  // Changed-files mode: a cluster no changed file reaches renders as before; its references too.
  const touched = (cluster: RenderedCluster) => !focus || cluster.targets.some((t) => focus.targets.has(t));
  for (const cluster of runs('refs') ? render.clusters.filter(touched) : []) {
    for (const f of checkRefs(
      toClusterView(input.root, config, cluster, failedBuildObjects(render, cluster, loaded)),
    )) {
      const resource = cluster.resources.find((r) => r.value === f.object.value);
      if (!resource) continue;
      out.push(
        renderedDiagnostic(render, cluster, resource, f.pointer, {
          ruleId: f.ruleId,
          severity: f.severity,
          message: f.message,
          source: 'refs',
        }),
      );
    }
  }

  lap('check: references');

  // Policies (built-in Rego and the user's conftest policies): placed, capped like schema findings.
  if (!runs('policy')) return noteHelmOrigins(out, render.clusters);
  // Loaded when policies run: `--only schema` starts without the policy engine.
  const { policyCheck } = await import('../policy/run-policy-check.js');
  out.push(
    ...(await policyCheck({
      root: input.root,
      config,
      render,
      loaded,
      userPolicies: input.policy?.userPolicies ?? [],
      ...(focus ? { focus } : {}),
      env: input.policy?.env ?? {},
      ...(input.debug ? { debug: input.debug } : {}),
    })),
  );
  return noteHelmOrigins(out, render.clusters);
}
