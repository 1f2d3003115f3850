import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../core/errors.js';
import { errorRange, locate, YAML_OPTIONS } from '../load/source-map.js';
import { findRule } from '../rules/registry.js';
import { type Config, defaultConfig } from './config.js';
import validateConfigSchema from './config-validator.generated.js';
import { CONFIG_FILE } from './find-root.js';

/** The config schema, compiled at build time (scripts/generate-config-validator.mjs). */
function validate(value: unknown): ErrorObject[] {
  if (validateConfigSchema(value)) return [];
  return [...((validateConfigSchema as unknown as { errors?: ErrorObject[] | null }).errors ?? [])];
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'config' : error.instancePath.slice(1).replaceAll('/', '.');
  if (error.keyword === 'additionalProperties') {
    return `${where}: unknown key "${String(error.params.additionalProperty)}"`;
  }
  if (error.keyword === 'enum') {
    return `${where}: must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
  }
  return `${where}: ${error.message ?? 'is invalid'}`;
}

/** Reads `.fluxgate.yaml` at the root (defaults when there is none). Invalid config throws ConfigError with its line. */
export function loadConfig(root: string, explicitPath?: string): { config: Config; file?: string } {
  const file = explicitPath ? path.resolve(explicitPath) : path.join(root, CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (!explicitPath && (error as NodeJS.ErrnoException).code === 'ENOENT')
      return { config: defaultConfig() };
    throw new ConfigError(`cannot read config ${file}: ${(error as Error).message}`, { cause: error, file });
  }
  const display = path.relative(root, file).split(path.sep).join('/') || CONFIG_FILE;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...YAML_OPTIONS, lineCounter });
  const first = doc.errors[0];
  if (first) {
    const { line } = errorRange(text, lineCounter, first.pos).start;
    throw new ConfigError(`${display}:${line}: ${first.message.split('\n')[0]}`, { file: display, line });
  }
  const value = (doc.toJS() as unknown) ?? {};
  const errors = validate(value);
  if (errors.length > 0) {
    // Report the most specific error: oneOf branches produce noise about the branch not taken.
    const error = errors.find((e) => e.keyword !== 'oneOf' && e.keyword !== 'type') ?? errors[0]!;
    const pointer =
      error.keyword === 'additionalProperties'
        ? `${error.instancePath}/${String(error.params.additionalProperty)}`
        : error.instancePath;
    const contents = doc.contents;
    const range = contents
      ? locate({ documents: [contents], lineCounter }, 0, pointer, {
          key: error.keyword === 'additionalProperties',
        })
      : undefined;
    const line = range?.line ?? 1;
    throw new ConfigError(`${display}:${line}: ${describe(error)}`, { file: display, line });
  }
  const config = { ...defaultConfig(), ...(value as Partial<Config>) };
  // User policies add their own ids under policy/, known only once compiled.
  const unknown = Object.keys(config.rules).find((id) => !findRule(id) && !id.startsWith('policy/'));
  if (unknown) {
    const range = doc.contents
      ? locate(
          { documents: [doc.contents], lineCounter },
          0,
          `/rules/${unknown.replaceAll('~', '~0').replaceAll('/', '~1')}`,
          { key: true },
        )
      : undefined;
    const line = range?.line ?? 1;
    throw new ConfigError(`${display}:${line}: rules: unknown rule "${unknown}" (see \`fluxgate rules\`)`, {
      file: display,
      line,
    });
  }
  return { config, file };
}
