// Bundles the CLI (dist/cli/main.js, compiled by tsc) into dist/bundle/: one file to load at
// start-up instead of some 400 modules, a third of the time before the first line of work. Lazily
// loaded parts (the check stage, dry run, `build`, `policy`) stay separate chunks, loaded on
// demand as before. The library entry (dist/index.js) is not bundled.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist/bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: path.join(root, 'dist/cli/main.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Loaded only by a dry run; large, with optional native parts: resolved from node_modules.
  external: ['@kubernetes/client-node'],
  // CommonJS dependencies call require(): give each chunk one (ESM has none).
  banner: {
    js: "import { createRequire as __fluxgateRequire } from 'node:module';\nconst require = __fluxgateRequire(import.meta.url);",
  },
  // dist/bundle/ sits at the same depth as dist/<dir>/, so import.meta.url-relative paths to the
  // package (schemas/, policies/, package.json) resolve alike.
  logLevel: 'warning',
});

// The code's content digest: the daemon answers any installation of the same code (see
// src/cache/code-digest.ts). Last, over everything the build wrote.
const { CODE_DIGEST_FILE, computeCodeDigest } = await import(path.join(root, 'dist/cache/code-digest.js'));
writeFileSync(path.join(root, CODE_DIGEST_FILE), `${computeCodeDigest(root)}\n`);
