/**
 * `tsx bench/compare-kubeconform.ts REPO`: compares fluxgate's schema verdicts with kubeconform
 * -strict on the same rendered objects and the same schemas (fluxgate's bundled ones, written in
 * kubeconform's layout), cluster by cluster. Each object is "invalid" for fluxgate when it has an
 * error from the schema stage, for kubeconform when its status is invalid. Prints the agreement and
 * every disagreement with both tools' messages, for the issue notes. Nothing is written into REPO.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../src/core/diagnostic.js';
import { formatBuildOutput } from '../src/render/output/build-output.js';
import { validate } from '../src/validate.js';
import { writeKubeconformSchemas } from './kubeconform-schemas.js';
import { pinnedTools } from './setup.js';

interface KubeconformResource {
  kind: string;
  name: string;
  version: string;
  status: string;
  msg?: string;
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repo = path.resolve(process.argv[2] ?? '.');
const work = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-compare-'));
const schemas = path.join(work, 'schemas');
writeKubeconformSchemas(path.join(projectRoot, 'schemas'), schemas);
const { kubeconform } = pinnedTools(projectRoot);

const result = await validate({
  cwd: repo,
  stages: ['render', 'schema'],
  schema: { offline: true },
  render: { env: process.env },
});
const diagnostics: Diagnostic[] = result.diagnostics;

const key = (kind: string, apiVersion: string, name: string) => `${kind} ${apiVersion} ${name}`;
let objects = 0;
let agree = 0;
const disagreements: string[] = [];
for (const rendered of result.clusters) {
  const cluster = rendered.name;
  const file = path.join(work, `${cluster.replaceAll('/', '_')}.yaml`);
  writeFileSync(
    file,
    formatBuildOutput(
      rendered.resources.map((r) => r.value),
      { showSecrets: true },
    ),
  );
  const out = spawnSync(
    kubeconform,
    [
      '-strict',
      '-output',
      'json',
      '-verbose',
      '-schema-location',
      `${schemas}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
      file,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const resources = (JSON.parse(out.stdout) as { resources: KubeconformResource[] }).resources ?? [];
  const fg = new Map<string, Diagnostic[]>();
  for (const d of diagnostics)
    if (d.cluster === cluster && d.source === 'schema' && d.severity === 'error' && d.resource)
      fg.set(key(d.resource.kind, d.resource.apiVersion, d.resource.name), [
        ...(fg.get(key(d.resource.kind, d.resource.apiVersion, d.resource.name)) ?? []),
        d,
      ]);
  for (const r of resources) {
    objects++;
    const k = key(r.kind, r.version, r.name);
    const kcInvalid = r.status === 'statusInvalid';
    const kcNoSchema = r.status === 'statusError';
    const fgErrors = fg.get(k) ?? [];
    if (kcInvalid === fgErrors.length > 0 && !kcNoSchema) {
      agree++;
      continue;
    }
    disagreements.push(
      `${cluster}: ${k}: kubeconform ${r.status}${r.msg ? ` (${r.msg})` : ''}; fluxgate ${
        fgErrors.length === 0
          ? 'valid'
          : fgErrors.map((d) => `${d.ruleId} at ${d.file}:${d.line} (${d.message})`).join('; ')
      }`,
    );
  }
}
console.log(
  `${repo}: ${objects} rendered objects in ${result.clusters.length} clusters; verdicts agree on ${agree}`,
);
for (const line of disagreements) console.log(`  ${line}`);
rmSync(work, { recursive: true, force: true });
