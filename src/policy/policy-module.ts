import { type LoadedPolicy, loadPolicy } from '@open-policy-agent/opa-wasm';
import type { CompiledPolicy } from './compile.js';
import { type PolicyResult, packageResults } from './results.js';

/** One compiled policy bundle, instantiated once per run and evaluated per input. */
export class PolicyModule {
  private constructor(
    private readonly policy: LoadedPolicy,
    readonly compiled: CompiledPolicy,
  ) {}

  static async load(compiled: CompiledPolicy): Promise<PolicyModule> {
    return new PolicyModule(await loadPolicy(compiled.wasm), compiled);
  }

  /** Sets `data` for the following evaluations (fluxgate's context lives under `data.fluxgate`). */
  setData(data: Record<string, unknown>): void {
    this.policy.setData(data);
  }

  /** Every package's conftest-style results for one input. */
  evaluate(input: unknown, packages: readonly string[] = this.compiled.entrypoints): PolicyResult[] {
    const out: PolicyResult[] = [];
    for (const pkg of packages) {
      const resultSet = this.policy.evaluate(input, pkg) as { result?: unknown }[] | undefined;
      for (const entry of resultSet ?? []) out.push(...packageResults(pkg, entry.result));
    }
    return out;
  }
}
