import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { packageFile } from '../../core/package-files.js';
import type { KindSchema, SchemaSet, StructuralSchema } from '../types.js';

/** One pinned release of a catalog project (schemas/catalog/index.json, scripts/catalog/generate.ts). */
export interface CatalogRelease {
  version: string;
  module: string;
  /** go.sum hash of the Go module zip its CRDs were read from. */
  sum: string;
  files: string[];
  /** API group -> file, relative to the catalog directory. */
  groups: Record<string, string>;
  /** `<group>/<version>/<Kind>` of every served version. */
  kinds: string[];
}

export interface CatalogProject {
  project: string;
  module: string;
  licence: string;
  /** Charts whose version is the project's release. */
  charts: string[];
  /** `owner/repo` whose tags are the project's releases. */
  repos: string[];
  /** Charts of forks whose CRDs differ from the project's. */
  forks: string[];
  /** Newest first. */
  releases: CatalogRelease[];
}

interface GroupFile {
  format: 1;
  project: string;
  version: string;
  group: string;
  definitions: Record<string, StructuralSchema>;
  kinds: Record<string, { ref: string }>;
}

/** Where a kind is in the catalog: a project's release. */
export interface CatalogHit {
  project: CatalogProject;
  release: CatalogRelease;
}

/**
 * The catalog of custom resource schemas shipped in schemas/catalog/: its index is read on the
 * first lookup, a group's file when one of its kinds is first looked up (most runs need a few
 * groups of the catalog's ~80).
 */
export class Catalog {
  private index: Map<string, CatalogHit[]> | undefined;
  private projectList: CatalogProject[] = [];
  private readonly groups = new Map<string, Map<string, KindSchema>>();

  constructor(private readonly dir = packageFile('schemas/catalog')) {}

  get projects(): readonly CatalogProject[] {
    this.load();
    return this.projectList;
  }

  /** Every release that serves a kind, newest release of each project first. */
  releasesOf(gvk: string): readonly CatalogHit[] {
    return this.load().get(gvk) ?? [];
  }

  /**
   * The versions at which the catalog's releases serve a group's kind, for an apiVersion none of
   * them serves (`monitoring.coreos.com/v1 ScrapeConfig`, which is only ever `v1alpha1`).
   */
  otherVersions(group: string, kind: string): { project: string; release: string; versions: string[] }[] {
    const out: { project: string; release: string; versions: string[] }[] = [];
    for (const project of this.projects)
      for (const release of project.releases) {
        const versions = release.kinds
          .filter((gvk) => gvk.startsWith(`${group}/`) && gvk.endsWith(`/${kind}`))
          .map((gvk) => gvk.slice(group.length + 1, gvk.length - kind.length - 1));
        if (versions.length > 0) out.push({ project: project.project, release: release.version, versions });
      }
    return out;
  }

  /** The schema of a kind in one release (the release must serve it). */
  schema(hit: CatalogHit, gvk: string): KindSchema | undefined {
    const group = gvk.slice(0, gvk.indexOf('/'));
    const file = hit.release.groups[group];
    if (!file) return undefined;
    let kinds = this.groups.get(file);
    if (!kinds) {
      const data = JSON.parse(gunzipSync(readFileSync(`${this.dir}/${file}`)).toString('utf8')) as GroupFile;
      const set: SchemaSet = {
        id: `catalog/${data.project}/${data.version}/${data.group}`,
        // `bundled `: shipped with fluxgate, so compiled validators are keyed by fluxgate's identity.
        origin: `bundled catalog: ${data.project} ${data.version} (${hit.project.licence})`,
        dialect: 'structural',
        definitions: data.definitions,
      };
      kinds = new Map(Object.entries(data.kinds).map(([k, v]) => [k, { set, ref: v.ref }]));
      this.groups.set(file, kinds);
    }
    return kinds.get(gvk);
  }

  private load(): Map<string, CatalogHit[]> {
    if (this.index) return this.index;
    this.index = new Map();
    const file = `${this.dir}/index.json`;
    if (!existsSync(file)) return this.index;
    this.projectList = (JSON.parse(readFileSync(file, 'utf8')) as { projects: CatalogProject[] }).projects;
    for (const project of this.projectList)
      for (const release of project.releases)
        for (const gvk of release.kinds) {
          const hits = this.index.get(gvk) ?? [];
          hits.push({ project, release });
          this.index.set(gvk, hits);
        }
    return this.index;
  }
}
