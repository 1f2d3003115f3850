import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A repository with one kustomization that sets `count` images (as an image automation or a
 * platform overlay does): kustomize runs one transformer per entry, and fluxgate's origins must
 * not make that quadratic (see src/render/build/origin-split.ts).
 */
export function generateImagesRepo(dir: string, count: number): string {
  const app = path.join(dir, 'app');
  mkdirSync(app, { recursive: true });
  mkdirSync(path.join(dir, '.git'));
  const containers = Array.from(
    { length: 10 },
    (_, i) => `        - name: c${i}\n          image: registry.example.com/img${i}:v0\n`,
  );
  writeFileSync(
    path.join(app, 'deploy.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: default
spec:
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
${containers.join('')}`,
  );
  const images = Array.from(
    { length: count },
    (_, i) => `  - name: registry.example.com/img${i}\n    newTag: v${i + 1}\n`,
  );
  writeFileSync(
    path.join(app, 'kustomization.yaml'),
    `resources: [deploy.yaml]\nimages:\n${images.join('')}`,
  );
  return app;
}
