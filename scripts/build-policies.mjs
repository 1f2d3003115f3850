// Compiles the built-in Rego library (policies/) with the pinned opa into policies/dist/policy.wasm
// and policies/dist/meta.json (entrypoints and rule annotations), which fluxgate loads at run time
// without opa. Run after `npm run build`; CI regenerates and fails when the committed files differ.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildBuiltinPolicies } from '../dist/policy/build-builtin.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const policies = fileURLToPath(new URL('../policies', import.meta.url));
const dist = fileURLToPath(new URL('../policies/dist', import.meta.url));

// The pinned opa (installed when missing): `opa=<path>` on stdout.
const printed = execFileSync('bash', ['scripts/install-tools.sh', '--only', 'opa', '--print'], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
const opaBin = /^opa=(.+)$/m.exec(printed)?.[1];
if (!opaBin) throw new Error(`install-tools.sh printed no opa path:\n${printed}`);

const { wasm, meta } = await buildBuiltinPolicies(policies, opaBin);
mkdirSync(dist, { recursive: true });
writeFileSync(`${dist}/policy.wasm`, wasm);
writeFileSync(`${dist}/meta.json`, `${JSON.stringify(meta, null, 2)}\n`);
console.error(
  `build-policies: ${meta.rules.length} rules, ${meta.entrypoints.length} entrypoints, ${wasm.length} bytes (opa ${meta.opaVersion})`,
);
