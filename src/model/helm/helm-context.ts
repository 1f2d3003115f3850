import type { TargetBuild } from '../../render/build/build-target.js';
import type { HelmRenderer } from '../../render/helm/helm-renderer.js';
import type { SourceReader } from '../../render/source-reader.js';

/** What rendering a cluster's HelmReleases needs from the run. */
export interface HelmReleasesContext {
  root: string;
  reader: SourceReader;
  helm: HelmRenderer;
  /** The cluster's builds (findings on a HelmRelease are placed through them). */
  builds: readonly TargetBuild[];
  /** This repository's URLs (normalized): a GitRepository of one of them is this repository. */
  repoUrls: ReadonlySet<string>;
  /** `clusters.<name>.kubernetesVersion`. */
  kubernetesVersion?: string | undefined;
  /** Digests of chart directories and files, shared by the clusters of a run. */
  digests: Map<string, string>;
}
