export interface Summary {
  files: number;
  resources: number;
  clusters: number;
  errors: number;
  warnings: number;
  durationMs: number;
  kustomizeVersion: string | null;
}
