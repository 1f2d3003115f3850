import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

interface Capabilities {
  builtins: { name: string }[];
  features?: string[];
  wasm_abi_versions?: unknown[];
  [key: string]: unknown;
}

/**
 * Calls OPA's compiler replaces with constants (rewriteRegoMetadataCalls), so the wasm module never
 * calls them: the built-in library reads its rule id with `rego.metadata.chain()`.
 */
const COMPILE_TIME = ['rego.metadata.chain', 'rego.metadata.rule'];

/**
 * What `opa build -t wasm` may use so the result runs in opa-wasm's JavaScript host: OPA's own
 * capabilities (language features such as rego_v1) restricted to the built-ins that the wasm
 * module implements natively or opa-wasm implements in JavaScript (its capabilities.json). A
 * policy using any other built-in then fails at compile time, naming it, not at run time.
 */
export function wasmCapabilities(opaCapabilities: Capabilities): Capabilities {
  // capabilities.json is not in the package's exports map: find it beside the package's entry.
  const entry = createRequire(import.meta.url).resolve('@open-policy-agent/opa-wasm');
  const file = path.join(path.dirname(entry), '..', 'capabilities.json');
  const host = JSON.parse(readFileSync(file, 'utf8')) as Capabilities;
  const supported = new Set([...host.builtins.map((b) => b.name), ...COMPILE_TIME]);
  return {
    ...opaCapabilities,
    builtins: opaCapabilities.builtins.filter((b) => supported.has(b.name)),
    ...(host.wasm_abi_versions ? { wasm_abi_versions: host.wasm_abi_versions } : {}),
  };
}
