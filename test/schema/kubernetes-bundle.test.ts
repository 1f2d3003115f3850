import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/validate.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { tempDir } from './helpers.js';

const VALID = path.resolve(import.meta.dirname, '../fixtures/schema/valid/workloads.yaml');

async function findings(text: string) {
  const root = tempRepo({ 'apps/all.yaml': text });
  const result = await validate({ cwd: root, schema: { offline: true, schemaCacheDir: tempDir() } });
  return result.diagnostics
    .filter((d) => d.source === 'schema')
    .map((d) => `${d.line}:${d.column} ${d.ruleId} ${d.message}`);
}

describe('the bundled Kubernetes schemas (generated from kube-apiserver)', () => {
  it('find nothing in typical valid manifests', async () => {
    expect(await findings(readFileSync(VALID, 'utf8'))).toEqual([]);
  });

  it('find typos and wrong types in them', async () => {
    const text = readFileSync(VALID, 'utf8')
      .replace('imagePullPolicy: IfNotPresent', 'imagePullPolcy: IfNotPresent')
      .replace('pathType: Prefix', 'pathType: Prefixed')
      .replace('minReplicas: 2', 'minReplicas: two');
    expect(await findings(text)).toEqual([
      '28:11 schema/unknown-field unknown field "spec.template.spec.containers[0].imagePullPolcy" (did you mean "imagePullPolicy"?)',
      '86:23 schema/invalid spec.rules[0].http.paths[0].pathType: expected one of "Exact", "ImplementationSpecific", "Prefix"; found string "Prefixed"',
      '110:16 schema/invalid spec.minReplicas: expected integer, found string "two"',
    ]);
  });
});
