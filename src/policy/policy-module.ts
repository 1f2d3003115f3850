import { type LoadedPolicy, loadPolicy } from '@open-policy-agent/opa-wasm';
import type { CompiledPolicy } from './compile.js';
import { type PolicyResult, packageResults } from './results.js';

const encoder = new TextEncoder();

/**
 * A lone UTF-16 surrogate in a string (from JavaScript, never from go-yaml, which refuses
 * `"\ud800"`) is written by JSON.stringify as the escape `\ud800`, which OPA's JSON reader
 * refuses ("illegal string escape character") for the whole evaluation. It becomes U+FFFD, as
 * Go's encoding/json writes it. An escape preceded by an odd number of backslashes is one.
 */
const LONE_SURROGATE = /(\\+)u[dD][89a-fA-F][0-9a-fA-F]{2}/g;

function wellFormed(json: string): string {
  if (!/\\u[dD][89a-fA-F]/.test(json)) return json;
  return json.replace(LONE_SURROGATE, (match, slashes: string) =>
    slashes.length % 2 === 1 ? `${slashes}ufffd` : match,
  );
}

/** JSON text as opa-wasm takes it pre-serialized (one serialization per input, however many entrypoints). */
export function jsonBuffer(json: string): ArrayBuffer {
  const bytes = encoder.encode(wellFormed(json));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** One compiled policy bundle, instantiated once per run and evaluated per input. */
export class PolicyModule {
  private constructor(
    private readonly policy: LoadedPolicy,
    readonly compiled: Pick<CompiledPolicy, 'entrypoints'>,
  ) {}

  static async load(compiled: Pick<CompiledPolicy, 'wasm' | 'entrypoints'>): Promise<PolicyModule> {
    return new PolicyModule(await loadPolicy(compiled.wasm), compiled);
  }

  /** Sets `data` for the following evaluations (fluxgate's context lives under `data.fluxgate`). */
  setData(data: Record<string, unknown> | ArrayBuffer): void {
    this.policy.setData(data);
  }

  /** The value of one entrypoint (a package document or one rule), undefined when it is undefined. */
  value(input: unknown, entrypoint: string): unknown {
    const resultSet = this.policy.evaluate(input, entrypoint) as { result?: unknown }[] | undefined;
    return resultSet?.[0]?.result;
  }

  /** Every package's conftest-style results for one input. */
  evaluate(input: unknown, packages: readonly string[] = this.compiled.entrypoints): PolicyResult[] {
    const out: PolicyResult[] = [];
    for (const pkg of packages) out.push(...packageResults(pkg, this.value(input, pkg)));
    return out;
  }
}
