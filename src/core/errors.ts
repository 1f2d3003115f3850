/**
 * Tool failures, as opposed to findings: each carries the exit code the CLI returns.
 * Content problems are never thrown; they are Diagnostics.
 */
export abstract class FluxgateError extends Error {
  abstract readonly exitCode: 2;
  /** Where the problem is, when it is in a file (config, policy). */
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(message: string, options: { cause?: unknown; file?: string; line?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.file = options.file;
    this.line = options.line;
  }
}

/** Bad flags or arguments. */
export class UsageError extends FluxgateError {
  readonly exitCode = 2;
}

/** `.fluxgate.yaml` is unreadable or invalid. */
export class ConfigError extends FluxgateError {
  readonly exitCode = 2;
}

/** An external tool (kustomize, opa) is missing, too old, or failed in a way that is not the user's content. */
export class ToolError extends FluxgateError {
  readonly exitCode = 2;
}

export function isFluxgateError(error: unknown): error is FluxgateError {
  return error instanceof FluxgateError;
}
