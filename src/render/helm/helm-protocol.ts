/**
 * The requests and answers of tools/helm-server (one JSON object per line; see its main.go,
 * render.go and pull.go, whose field names these mirror).
 */

/** A post-renderer of a HelmRelease (helm.toolkit.fluxcd.io/v2 `spec.postRenderers[]`). */
export interface PostRendererSpec {
  kustomize?: {
    patches?: { patch: string; target?: Record<string, string> }[];
    images?: Record<string, string>[];
  };
}

export interface HelmRenderRequest {
  /** A chart directory or a packaged chart (.tgz), absolute. */
  chart: string;
  /** What a chart directory may read (file:// dependencies, valuesFiles): the source's root. */
  sourceRoot?: string;
  /** chart.spec.valuesFiles: relative to sourceRoot for a directory, files of a packaged chart. */
  valuesFiles?: string[];
  ignoreMissingValuesFiles?: boolean;
  /** Archives of a chart directory's dependencies from chart repositories, by name or alias. */
  dependencies?: Record<string, string>;
  /** The data of spec.valuesFrom, in order. */
  valuesFrom?: { data: string; targetPath?: string; literal?: boolean }[];
  values?: Record<string, unknown>;
  releaseName: string;
  namespace: string;
  owner: { name: string; namespace: string };
  kubeVersion?: string;
  apiVersions?: string[];
  crds?: string;
  postRenderers?: PostRendererSpec[];
  commonMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  postRenderStrategy?: string;
  disableSchemaValidation?: boolean;
  disableHooks?: boolean;
  tests?: boolean;
  network?: boolean;
}

export interface HelmRenderedObject {
  /** The chart file that produced it (`chart/templates/deployment.yaml`, `chart/crds/x.yaml`). */
  template: string;
  /** The hook events, comma-separated, when it is a hook. */
  hook?: string;
  /** A CustomResourceDefinition of the chart's crds/ directory. */
  crd?: boolean;
  object: Record<string, unknown>;
}

export interface HelmSchemaError {
  chart: string;
  /** JSON pointer into the release's values. */
  path: string;
  message: string;
  /** The violation is the key itself (a property the schema does not allow). */
  key?: boolean;
}

export interface HelmRenderResult {
  chart?: { name: string; version: string; apiVersion: string };
  objects?: HelmRenderedObject[];
  schemaErrors?: HelmSchemaError[];
  /** How many objects each post-renderer patch selected (-1: unknown). */
  patches?: { renderer: number; patch: number; matched: number }[];
  error?: string;
  /** Where it failed: values (a valuesFrom entry), chart, schema, render or post-render. */
  stage?: 'values' | 'chart' | 'dependencies' | 'schema' | 'render' | 'post-render' | 'server';
  /** The spec.valuesFrom entry whose data did not merge. */
  valuesFrom?: number;
  /** Dependencies from chart repositories a chart directory does not vendor (stage dependencies). */
  dependencies?: { name: string; alias?: string; repository: string; version: string }[];
}

export interface HelmPullRequest {
  /** https://..., oci://host/path (a HelmRepository), or oci://host/path/chart (an OCIRepository). */
  repository: string;
  chart: string;
  version: string;
  digest?: string;
  insecure?: boolean;
  cacheDir: string;
  timeoutSeconds?: number;
}

export interface HelmPullResult {
  version?: string;
  /** `sha256:<hex>` of the archive, verified against the index or the registry. */
  digest?: string;
  file?: string;
  error?: string;
}
