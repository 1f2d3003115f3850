// A kustomization with a long `images:` list: kustomize with any buildMetadata records every
// transformer in every object (O(N²) for N images), so fluxgate's origins must come without asking
// kustomize for them on that build. Checked by what kustomize is asked to build, not by a clock.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { originSplit, transplantOrigins } from '../../src/render/build/origin-split.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { pinnedTool } from '../helpers/tools.js';

const IMAGES = 200;

function repo(): string {
  const images = Array.from({ length: IMAGES }, (_, i) => `  - name: img${i}\n    newTag: v${i}\n`).join('');
  return tempRepo({
    'app/kustomization.yaml': `resources: [deploy.yaml]\nimages:\n${images}  - name: nginx\n    newTag: latest\n`,
    'app/deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: default
spec:
  replicas: two
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a}}
    spec:
      containers:
        - name: web
          image: nginx
`,
  });
}

/** The pinned kustomize behind a wrapper that keeps a copy of each kustomization it builds. */
function recordingKustomize(root: string): { bin: string; built: () => Record<string, unknown>[] } {
  // In the repository (removed with it), under names no discovery reads.
  const log = path.join(root, 'built.log');
  const bin = path.join(root, 'kustomize-wrapper');
  writeFileSync(log, '');
  writeFileSync(
    bin,
    `#!/bin/sh\nif [ "$1" = build ]; then { echo ---; cat "$2/kustomization.yaml"; } >> ${log}; fi\nexec ${pinnedTool('kustomize')} "$@"\n`,
  );
  chmodSync(bin, 0o755);
  return {
    bin,
    built: () =>
      parseAllDocuments(readFileSync(log, 'utf8'))
        .map((d) => d.toJS() as Record<string, unknown> | null)
        .filter((v): v is Record<string, unknown> => v !== null),
  };
}

describe('a kustomization with many images', () => {
  it('is never built with buildMetadata and its images at once; findings keep their lines', async () => {
    const root = repo();
    const kustomize = recordingKustomize(root);
    const run = await runCli(['validate', '--no-cache', '-f', 'json', '--kustomize-bin', kustomize.bin], {
      cwd: root,
    });
    const built = kustomize.built();
    expect(built.length).toBeGreaterThan(0);
    for (const k of built)
      expect(Array.isArray(k.buildMetadata) && Array.isArray(k.images) && k.images.length > 32).toBe(false);
    const found = (
      JSON.parse(run.stdout) as { diagnostics: { ruleId: string; file: string; line: number }[] }
    ).diagnostics;
    // The origin of the Deployment (its own file) and the image's (the images entry that set it).
    expect(found).toContainEqual(
      expect.objectContaining({ ruleId: 'schema/invalid', file: 'app/deploy.yaml', line: 7 }),
    );
    expect(found).toContainEqual(
      expect.objectContaining({
        ruleId: 'policy/image-tag-pinned',
        file: 'app/kustomization.yaml',
        line: 2 + 2 * IMAGES + 2,
      }),
    );
  });

  it('renders exactly what kustomize alone renders', async () => {
    const root = repo();
    const ours = await runCli(['build', 'app'], { cwd: root });
    expect(ours.code).toBe(0);
    const { execFileSync } = await import('node:child_process');
    const plain = execFileSync(pinnedTool('kustomize'), ['build', path.join(root, 'app')], {
      encoding: 'utf8',
    });
    const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());
    expect(docs(ours.stdout)).toEqual(docs(plain));
  });
});

describe('origin split', () => {
  const many = { resources: ['a.yaml'], images: Array.from({ length: 40 }, (_, i) => ({ name: `i${i}` })) };

  it('splits only a kustomization with many value-only entries and no buildMetadata of its own', () => {
    const split = originSplit({ ...many, buildMetadata: ['originAnnotations'] }, false);
    expect(split?.content).toEqual(many);
    expect(split?.origins).toEqual({ resources: ['a.yaml'], buildMetadata: ['originAnnotations'] });
    expect(originSplit({ ...many, buildMetadata: ['originAnnotations'] }, true)).toBeUndefined();
    expect(
      originSplit({ ...many, buildMetadata: ['managedByLabel', 'originAnnotations'] }, false),
    ).toBeUndefined();
    expect(originSplit({ resources: [], images: [{ name: 'x' }] }, false)).toBeUndefined();
  });

  it('takes origins only from a build that lists the same objects in the same order', () => {
    const object = (name: string, origin?: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, ...(origin ? { annotations: { 'config.kubernetes.io/origin': origin } } : {}) },
    });
    const content = [object('a'), object('b')];
    expect(transplantOrigins(content, [object('b', 'path: b.yaml'), object('a', 'path: a.yaml')])).toBe(
      false,
    );
    expect(content).toEqual([object('a'), object('b')]);
    expect(transplantOrigins(content, [object('a', 'path: a.yaml'), object('b', 'path: b.yaml')])).toBe(true);
    expect(content).toEqual([object('a', 'path: a.yaml'), object('b', 'path: b.yaml')]);
  });
});
