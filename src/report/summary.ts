import type { Coverage } from '../model/coverage.js';

export interface Summary {
  files: number;
  resources: number;
  clusters: number;
  errors: number;
  warnings: number;
  durationMs: number;
  kustomizeVersion: string | null;
  /** What the render covered, per cluster (absent when nothing was rendered, e.g. --only schema). */
  coverage?: Coverage;
}
