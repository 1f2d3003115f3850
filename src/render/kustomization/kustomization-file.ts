import { statSync } from 'node:fs';
import path from 'node:path';

/** kustomize's konfig.RecognizedKustomizationFileNames(), in the order it (and Flux) looks for them. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** The kustomization file name in a directory (absolute), or undefined when it has none. */
export function kustomizationFileIn(
  dir: string,
  exists: (file: string) => boolean = isFile,
): string | undefined {
  return KUSTOMIZATION_FILE_NAMES.find((name) => exists(path.join(dir, name)));
}

/**
 * Whether a kustomization lists generator, transformer or validator configs: they name files of
 * their own, which the list of what a build reads does not follow.
 */
export function hasPluginConfigs(kustomization: Record<string, unknown> | undefined): boolean {
  return ['generators', 'transformers', 'validators'].some((field) => {
    const list = kustomization?.[field];
    return Array.isArray(list) && list.length > 0;
  });
}

export function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The top-level fields of kustomize's types.Kustomization (sigs.k8s.io/kustomize/api v0.21,
 * api/types/kustomization.go). Flux's generator reads the target's kustomization into that struct
 * and writes it back, so any other key is dropped before kustomize sees it (fluxcd/pkg kustomize
 * v1.35.4 kustomize_generator.go, GenerateManifest: yaml.Unmarshal then yaml.Marshal).
 */
export const KUSTOMIZATION_FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'openapi',
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'patchesStrategicMerge',
  'patchesJson6902',
  'patches',
  'images',
  'imageTags',
  'replacements',
  'replicas',
  'vars',
  'sortOptions',
  'resources',
  'components',
  'crds',
  'bases',
  'configMapGenerator',
  'secretGenerator',
  'helmGlobals',
  'helmCharts',
  'helmChartInflationGenerator',
  'generatorOptions',
  'configurations',
  'generators',
  'transformers',
  'validators',
  'inventory',
  'buildMetadata',
]);

/** Fields kustomize warns about ("# Warning: 'X' is deprecated. Please use 'Y' instead."), kustomize v5.8. */
export const DEPRECATED_FIELDS: Readonly<Record<string, string>> = {
  bases: 'resources',
  commonLabels: 'labels',
  imageTags: 'images',
  patchesJson6902: 'patches',
  patchesStrategicMerge: 'patches',
  vars: 'replacements',
};
