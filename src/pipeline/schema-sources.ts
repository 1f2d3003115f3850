import type { Config } from '../config/config.js';
import type { SourceFile } from '../load/resource.js';
import { builtInputs } from '../model/built-inputs.js';
import type { RenderStage } from '../model/render-stage.js';
import type { RenderedResource } from '../render/types.js';
import { Catalog } from '../schema/catalog/catalog-index.js';
import type { InstalledRelease } from '../schema/catalog/installed-releases.js';
import type { CrdSource } from '../schema/repo-crds.js';
import { repoSchemaTargets } from '../schema/repo-targets.js';
import { SchemaStore, type SchemaTier } from '../schema/schema-store.js';
import { catalogInstalls } from './catalog-installs.js';

/** Which source one kind of a cluster resolves to (`fluxgate schemas list`). */
export interface KindSource {
  apiVersion: string;
  kind: string;
  objects: number;
  source: SchemaTier | 'none';
  /** Where the schema is: the CRD's file, the bundle, the catalog release, the URL. */
  origin?: string;
  catalog?: { project: string; version: string; licence: string; installed?: InstalledRelease };
  /** The catalog has the project, but the cluster installs a fork of it. */
  fork?: InstalledRelease & { project: string };
}

export interface ClusterSources {
  /** Undefined: objects no cluster applies (standalone builds, files checked as written). */
  cluster?: string;
  kinds: KindSource[];
}

export interface SchemaSourcesInput {
  root: string;
  config: Config;
  render: RenderStage;
  loaded: ReadonlyMap<string, SourceFile>;
  offline?: boolean;
  kubernetesVersion?: string;
  debug?: (message: string) => void;
}

/**
 * For each cluster, every kind its rendered objects have and the source of its schema, in the
 * order the schema check tries them: repository CRDs, chart CRDs, bundled Kubernetes and Flux,
 * the catalog (the release the cluster installs), schemaLocations.
 */
export async function schemaSources(input: SchemaSourcesInput): Promise<ClusterSources[]> {
  const { render, config, loaded } = input;
  const catalog = new Catalog();
  const installs = catalogInstalls(catalog, render, loaded);
  type Obj = { apiVersion: string; kind: string; value: unknown; file: string; chart?: boolean };
  const object = (r: RenderedResource): Obj => ({
    ...r.id,
    value: r.value,
    ...(r.origin?.kind === 'helm' ? { chart: true } : {}),
    // A chart's object (origin helm) is listed at its HelmRelease's build target.
    file: r.origin?.kind === 'file' || r.origin?.kind === 'generated' ? r.origin.file : r.target,
  });
  const groups: { cluster?: string; objects: Obj[] }[] = [];
  const crds: CrdSource[] = [];
  for (const cluster of render.clusters)
    groups.push({ cluster: cluster.name, objects: cluster.resources.map(object) });
  const outside = render.standalone.flatMap((b) => b.resources.map(object));
  // Files no build reads are checked as written, as the schema check does.
  const built = builtInputs(render);
  const asWritten = repoSchemaTargets(new Map([...loaded].filter(([file]) => !built(file))), input.root);
  outside.push(...asWritten.targets.map((t) => ({ ...t.id, value: t.value, file: t.file })));
  if (outside.length > 0) groups.push({ objects: outside });
  // As the schema check: a CRD a chart installs is served by its cluster only.
  const chartCrds = new Map<string | undefined, CrdSource[]>();
  for (const g of groups)
    for (const o of g.objects) {
      if (o.kind !== 'CustomResourceDefinition') continue;
      if (o.chart)
        chartCrds.set(g.cluster, [...(chartCrds.get(g.cluster) ?? []), { file: o.file, value: o.value }]);
      else crds.push({ file: o.file, value: o.value });
    }
  const kubernetesVersion = input.kubernetesVersion;
  const store = new SchemaStore({
    root: input.root,
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
    locations: config.schemaLocations,
    offline: input.offline === true || config.network.schemas === false,
    catalog,
    installedOf: (cluster) => (cluster ? installs.get(cluster) : undefined),
    ...(input.debug ? { debug: input.debug } : {}),
  });
  store.addCrds(crds);
  for (const [cluster, list] of chartCrds) store.addChartCrds(cluster, list);
  const out: ClusterSources[] = [];
  for (const g of groups) {
    const counts = new Map<string, { apiVersion: string; kind: string; objects: number }>();
    for (const o of g.objects) {
      if (o.apiVersion.startsWith('kustomize.config.k8s.io/')) continue;
      const key = `${o.apiVersion}\n${o.kind}`;
      const seen = counts.get(key);
      if (seen) seen.objects++;
      else counts.set(key, { apiVersion: o.apiVersion, kind: o.kind, objects: 1 });
    }
    const kinds: KindSource[] = [];
    for (const c of [...counts.values()].sort((a, b) =>
      a.apiVersion === b.apiVersion ? (a.kind < b.kind ? -1 : 1) : a.apiVersion < b.apiVersion ? -1 : 1,
    )) {
      const lookup = await store.lookup(c.apiVersion, c.kind, g.cluster);
      if (!lookup.found) {
        kinds.push({ ...c, source: 'none', ...(lookup.fork ? { fork: lookup.fork } : {}) });
        continue;
      }
      const use = lookup.catalog;
      kinds.push({
        ...c,
        source: lookup.tier,
        origin: lookup.found.set.origin.replace(/^bundled catalog: /, ''),
        ...(use
          ? {
              catalog: {
                project: use.project,
                version: use.version,
                licence: use.licence,
                ...(use.installed ? { installed: use.installed } : {}),
              },
            }
          : {}),
      });
    }
    out.push({ ...(g.cluster ? { cluster: g.cluster } : {}), kinds });
  }
  return out;
}
