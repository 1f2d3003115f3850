import { readFileSync } from 'node:fs';
import type { Severity } from '../core/diagnostic.js';
import { packageFile } from '../core/package-files.js';

export type PolicyScope = 'resource' | 'cluster' | 'repo';

/** One built-in rule, from its package's METADATA (policies/README.md, "Entrypoints and metadata"). */
export interface BuiltinRule {
  id: string;
  /** Package path, slash-separated: `fluxgate/policy/image_tag_pinned`. */
  package: string;
  title: string;
  description: string;
  /** `related_resources[0].ref`: the rule's page in docs/rules/. */
  helpUri: string;
  related: { ref: string; description?: string }[];
  /** The headline severity (package `custom.severity`). */
  severity: Severity;
  scope: PolicyScope;
  /** Cluster scope: the only kinds the rule reads (`custom.kinds`); undefined: every object. */
  kinds?: string[];
  /** JSON Schema of the rule's `options` in `.fluxgate.yaml`. */
  options?: Record<string, unknown>;
}

/** One compiled entrypoint: a `deny`/`warn` rule of a built-in package. */
export interface BuiltinEntrypoint {
  /** The wasm entrypoint name: `fluxgate/policy/image_tag_pinned/deny`. */
  entrypoint: string;
  package: string;
  rule: string;
  /** The rule annotation's `custom.severity`, when it has one. */
  severity?: Severity;
}

/** policies/dist/meta.json, written by `npm run generate:policies` beside policy.wasm. */
export interface BuiltinMeta {
  version: 1;
  /** The opa that compiled policy.wasm (tools/versions.env). */
  opaVersion: string;
  /** sha256 of the compiled Rego sources, so a stale bundle is caught by a test. */
  sourceHash: string;
  entrypoints: BuiltinEntrypoint[];
  /** Per scope, an engine entrypoint whose value holds every entrypoint's of that scope, by name. */
  aggregates: Partial<Record<PolicyScope, string>>;
  rules: BuiltinRule[];
}

export const BUILTIN_DIST = 'policies/dist';

let cached: BuiltinMeta | undefined;

/** The shipped bundle's metadata; the main command never needs opa for it. */
export function builtinMeta(): BuiltinMeta {
  cached ??= JSON.parse(readFileSync(packageFile(`${BUILTIN_DIST}/meta.json`), 'utf8')) as BuiltinMeta;
  return cached;
}

/** The shipped policy.wasm. */
export function builtinWasm(): Uint8Array {
  return readFileSync(packageFile(`${BUILTIN_DIST}/policy.wasm`));
}
