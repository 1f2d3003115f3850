import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll } from 'vitest';
import { packageFile } from '../../src/core/package-files.js';
import { validate } from '../../src/validate.js';
import { tempRepo } from '../helpers/temp-repo.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/schema');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'fluxgate-schema-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

let bundleDir: string | undefined;

/**
 * A bundle directory with a small hand-written Kubernetes bundle (test/fixtures/schema) and
 * the generated Flux bundle, so tests do not depend on the generated Kubernetes schemas.
 */
export function miniBundleDir(): string {
  if (bundleDir) return bundleDir;
  const dir = tempDir('fluxgate-bundles-');
  const mini = JSON.parse(readFileSync(path.join(FIXTURES, 'kubernetes-mini.json'), 'utf8'));
  writeFileSync(path.join(dir, 'kubernetes-v1.99.json.gz'), gzipSync(JSON.stringify(mini)));
  const index = JSON.parse(readFileSync(packageFile('schemas/index.json'), 'utf8')) as {
    bundles: { file: string; source: string }[];
  };
  const flux = index.bundles.filter((b) => b.source === 'flux');
  for (const b of flux) copyFileSync(packageFile(`schemas/${b.file}`), path.join(dir, b.file));
  const bundles = [
    ...flux,
    { file: 'kubernetes-v1.99.json.gz', source: 'kubernetes', version: 'v1.99.0', kinds: 5 },
  ];
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ format: 1, bundles }));
  bundleDir = dir;
  return dir;
}

/** Validates a throw-away repository offline with the mini bundle; returns schema findings. */
export async function schemaFindings(
  files: Record<string, string>,
  schema: Parameters<typeof validate>[0]['schema'] = {},
) {
  const root = tempRepo(files);
  const result = await validate({
    cwd: root,
    schema: { bundleDir: miniBundleDir(), offline: true, schemaCacheDir: tempDir(), ...schema },
  });
  return result.diagnostics
    .filter((d) => d.source === 'schema')
    .map(({ ruleId, severity, message, file, line, column }) => ({
      ruleId,
      severity,
      message,
      file,
      line,
      column,
    }));
}
