import { Ajv } from 'ajv';
import type { Config } from '../config/config.js';
import { ConfigError } from '../core/errors.js';
import type { BuiltinRule } from './builtin-meta.js';

/**
 * Checks `rules.<id>.options` of each built-in rule against the JSON Schema in its METADATA
 * (`custom.options`): a typo in an option is a config error (exit 2), never a silent default.
 */
export function checkRuleOptions(config: Pick<Config, 'rules'>, rules: readonly BuiltinRule[]): void {
  const ajv = new Ajv({ allErrors: false, strict: false });
  for (const rule of rules) {
    const setting = config.rules[rule.id];
    if (typeof setting !== 'object' || setting === null || setting.options === undefined) continue;
    if (!rule.options)
      throw new ConfigError(`.fluxgate.yaml: rules.${rule.id}.options: ${rule.id} has no options`);
    const validate = ajv.compile(rule.options);
    if (validate(setting.options)) continue;
    const error = validate.errors?.[0];
    const at = (error?.instancePath ?? '').slice(1).replaceAll('/', '.');
    const what =
      error?.keyword === 'additionalProperties'
        ? `unknown option "${String(error.params.additionalProperty)}"`
        : (error?.message ?? 'is invalid');
    throw new ConfigError(`.fluxgate.yaml: rules.${rule.id}.options${at ? `.${at}` : ''}: ${what}`);
  }
}
