import { type LoadedPolicy, loadPolicy } from '@open-policy-agent/opa-wasm';
import type { CompiledPolicy } from './compile.js';
import { type PolicyResult, packageResults } from './results.js';

const encoder = new TextEncoder();

/** JSON text as opa-wasm takes it pre-serialized (one serialization per input, however many entrypoints). */
export function jsonBuffer(json: string): ArrayBuffer {
  const bytes = encoder.encode(json);
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
