export { main } from './cli/main.js';
export type { Config } from './config/config.js';
export type { Diagnostic, DiagnosticSource, ResourceId, Severity } from './core/diagnostic.js';
export { ConfigError, FluxgateError, ToolError, UsageError } from './core/errors.js';
export { validate } from './library.js';
export type { Summary } from './report/summary.js';
export { RULES } from './rules/registry.js';
export type { RuleMeta } from './rules/rule-meta.js';
export type { ValidateOptions, ValidateResult } from './validate.js';
