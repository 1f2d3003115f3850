import type { Config } from '../config/config.js';
import type { CheckFocus } from '../core/check-focus.js';
import type { ResourceId } from '../core/diagnostic.js';
import type { SourceFile } from '../load/resource.js';
import { builtInputs } from '../model/built-inputs.js';
import { locateRendered } from '../model/locate-rendered.js';
import type { RenderStage } from '../model/render-stage.js';
import type { ClusterResource, RenderedCluster } from '../model/types.js';
import { repoSchemaTargets } from '../schema/repo-targets.js';
import { clusterEnvironment } from './environments.js';
import {
  fluxKustomizations,
  type OwnerContext,
  ownerContext,
  type ResourceContext,
  resourceContext,
  writtenContext,
} from './resource-context.js';

/** Where a finding is reported: the edited file, line and column. */
export interface Placed {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** One object as the resource scope sees it, with its context and how to place a pointer in it. */
export interface Subject {
  id: ResourceId;
  value: Record<string, unknown>;
  context: ResourceContext;
  owner: OwnerContext | null;
  /** The build the object comes from (target key); undefined for a file read as written. */
  target?: string;
  place(pointer: string): Placed;
}

/** The objects one cluster applies (or one standalone build, or the files no build reads). */
export interface SubjectGroup {
  /** `data.fluxgate.cluster`; null outside any cluster. */
  cluster: { name: string; environment: string | null; fluxServiceAccounts: string[] } | null;
  environment: string | null;
  /** Nothing Flux applies while the repository has clusters: findings are capped (`unreachedSeverity`). */
  unreached: boolean;
  subjects: Subject[];
}

function renderedSubject(
  render: RenderStage,
  cluster: RenderedCluster | undefined,
  owners: ReadonlyMap<string, ClusterResource> | undefined,
  resource: ClusterResource,
): Subject {
  // Computed when a rule needs them: a changed-files run checks a few objects of whole clusters.
  let context: ResourceContext | undefined;
  let owner: OwnerContext | null | undefined;
  return {
    id: resource.id,
    value: resource.value,
    get context() {
      context ??= resourceContext(render, cluster, resource);
      return context;
    },
    get owner() {
      if (owner === undefined)
        owner = cluster && owners ? ownerContext(render, cluster, owners, resource) : null;
      return owner;
    },
    target: resource.target,
    place: (pointer) => {
      const at = locateRendered(render, cluster, resource, pointer);
      return {
        file: at.file,
        line: at.line,
        column: at.column,
        ...(at.endLine !== undefined ? { endLine: at.endLine } : {}),
        ...(at.endColumn !== undefined ? { endColumn: at.endColumn } : {}),
      };
    },
  };
}

/**
 * Every object the policies check, grouped as the cluster scope sees them: each cluster's rendered
 * objects, each standalone build's, then the manifests no build reads, as written (what conftest
 * would read). With a focus (changed-files mode), only the groups holding an object in focus: a
 * cluster no changed file reaches renders as before, so nothing it holds is new.
 */
export function collectSubjects(input: {
  root: string;
  config: Config;
  render: RenderStage;
  loaded: ReadonlyMap<string, SourceFile>;
  focus?: CheckFocus | undefined;
}): SubjectGroup[] {
  const { render, config, focus } = input;
  const hasClusters = render.clusters.length > 0;
  const groups: SubjectGroup[] = [];
  const touched = (targets: readonly string[]) => !focus || targets.some((t) => focus.targets.has(t));
  for (const cluster of render.clusters) {
    if (!touched(cluster.targets)) continue;
    const owners = fluxKustomizations(cluster);
    groups.push({
      cluster: {
        name: cluster.name,
        environment: config.clusters[cluster.name]?.environment ?? null,
        fluxServiceAccounts: fluxServiceAccounts(cluster),
      },
      environment: clusterEnvironment(config, cluster.name),
      unreached: false,
      subjects: cluster.resources.map((r) => renderedSubject(render, cluster, owners, r)),
    });
  }
  const outside = { cluster: null, environment: null, unreached: hasClusters };
  for (const build of render.standalone)
    if (touched([build.target.key]))
      groups.push({
        ...outside,
        subjects: build.resources.map((r) => renderedSubject(render, undefined, undefined, r)),
      });
  const built = builtInputs(render);
  const unbuilt = new Map([...input.loaded].filter(([file]) => !built(file)));
  const placer = render.reader.placer;
  // Templates with `${VAR}` placeholders are not judged by policies as written.
  const written = repoSchemaTargets(unbuilt, input.root)
    .targets.filter((t) => !t.unknown)
    .map(
      (t): Subject => ({
        id: t.id,
        value: t.value as Record<string, unknown>,
        context: writtenContext(t.file, t.docIndex),
        owner: null,
        place: (pointer) => {
          const d = placer.place({
            ruleId: '',
            severity: 'info',
            message: '',
            source: 'policy',
            file: t.file,
            docIndex: t.docIndex,
            pointer,
          });
          return {
            file: d.file,
            line: d.line,
            column: d.column,
            ...(d.endLine !== undefined ? { endLine: d.endLine } : {}),
            ...(d.endColumn !== undefined ? { endColumn: d.endColumn } : {}),
          };
        },
      }),
    );
  if (written.length > 0 && (!focus || written.some((w) => focus.files.has(w.context.file))))
    groups.push({ ...outside, subjects: written });
  return groups;
}

/**
 * The ServiceAccounts Flux impersonates in a cluster: `spec.serviceAccountName` of its Flux
 * Kustomizations and HelmReleases, in their own namespace (kustomize-controller and
 * helm-controller reconcile as that account): Flux tenants' reconcilers.
 */
function fluxServiceAccounts(cluster: RenderedCluster): string[] {
  const out = new Set<string>();
  for (const r of cluster.resources) {
    const flux =
      (r.id.kind === 'Kustomization' && r.id.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) ||
      (r.id.kind === 'HelmRelease' && r.id.apiVersion.startsWith('helm.toolkit.fluxcd.io/'));
    const spec = r.value.spec as { serviceAccountName?: unknown } | undefined;
    if (flux && typeof spec?.serviceAccountName === 'string' && spec.serviceAccountName !== '')
      out.add(`${r.id.namespace ?? 'default'}/${spec.serviceAccountName}`);
  }
  return [...out].sort();
}
