import path from 'node:path';
import type { ErrorObject } from 'ajv';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../core/errors.js';
import { readRegularFile } from '../core/read-regular.js';
import { suggest } from '../core/suggest.js';
import { nestingBeyond } from '../load/go-yaml-cst.js';
import { errorRange, locate, YAML_OPTIONS } from '../load/source-map.js';
import { findRule, RULES } from '../rules/registry.js';
import { type Config, defaultConfig } from './config.js';
import { describeSchemaError, pickSchemaErrors } from './config-problems.js';
import validateConfigSchema from './config-validator.generated.js';
import { CONFIG_FILE } from './find-root.js';

const MAX_CONFIG_DEPTH = 64;

/** One thing wrong with the config, at its line. */
export interface ConfigProblem {
  line: number;
  message: string;
}

export interface ReadConfig {
  config: Config;
  /** The config file read; undefined when there is none (defaults). */
  file?: string;
  /** The file as the user names it (relative to the root). */
  display: string;
  /** Everything wrong with it, in file order; empty when it is valid. */
  problems: ConfigProblem[];
  /** The line of a JSON pointer into the config (its key with `key`), for later checks. */
  lineOf(pointer: string, key?: boolean): number;
}

/** The config schema, compiled at build time (scripts/generate-config-validator.mjs). */
function validate(value: unknown): ErrorObject[] {
  if (validateConfigSchema(value)) return [];
  return [...((validateConfigSchema as unknown as { errors?: ErrorObject[] | null }).errors ?? [])];
}

/** `/rules/yaml~1duplicate-key` for rules › yaml/duplicate-key (RFC 6901 escaping). */
export const pointerOf = (...segments: string[]) =>
  segments.map((s) => `/${s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');

function unknownRules(config: Config, userPolicies: boolean, lineOf: ReadConfig['lineOf']): ConfigProblem[] {
  const ids = RULES.map((r) => r.id);
  return Object.keys(config.rules)
    .filter((id) => !findRule(id))
    .filter((id) => !(userPolicies && id.startsWith('policy/')))
    .map((id) => {
      const hint = suggest(id, ids);
      return {
        line: lineOf(pointerOf('rules', id), true),
        message: `rules: unknown rule "${id}"${hint ? ` (did you mean "${hint}"?)` : ''} (see \`fluxgate rules\`)`,
      };
    });
}

/**
 * Reads `.fluxgate.yaml` at the root (defaults when there is none) and checks all of it at once:
 * the schema, then the rule ids. A file that cannot be read or parsed is a ConfigError at once;
 * everything else is collected in `problems`, each with its line. `userPolicies`: rule ids under
 * policy/ may come from user policies (known only once compiled), so they are not checked.
 */
export function readConfig(
  root: string,
  explicitPath?: string,
  options: { userPolicies?: boolean } = {},
): ReadConfig {
  const file = explicitPath ? path.resolve(explicitPath) : path.join(root, CONFIG_FILE);
  let text: string;
  try {
    // A regular file only: a FIFO named .fluxgate.yaml would block the read forever.
    text = readRegularFile(file).toString('utf8');
  } catch (error) {
    if (!explicitPath && (error as NodeJS.ErrnoException).code === 'ENOENT')
      return { config: defaultConfig(), display: CONFIG_FILE, problems: [], lineOf: () => 1 };
    throw new ConfigError(`cannot read config ${file}: ${(error as Error).message}`, { cause: error, file });
  }
  const display = path.relative(root, file).split(path.sep).join('/') || CONFIG_FILE;
  // A config is a few levels deep; thousands would only exhaust the parser's stack.
  const deep = nestingBeyond(text, MAX_CONFIG_DEPTH);
  if (deep !== undefined) {
    const line = text.slice(0, deep).split('\n').length;
    throw new ConfigError(`${display}:${line}: nested more than ${MAX_CONFIG_DEPTH} levels deep`, {
      file: display,
      line,
    });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...YAML_OPTIONS, lineCounter });
  const first = doc.errors[0];
  if (first) {
    const { line } = errorRange(text, lineCounter, first.pos).start;
    throw new ConfigError(`${display}:${line}: ${first.message.split('\n')[0]}`, { file: display, line });
  }
  const lineOf = (pointer: string, key = false) => lineIn(doc, lineCounter, pointer, key);
  const value = (doc.toJS() as unknown) ?? {};
  const schemaProblems = pickSchemaErrors(validate(value)).map(({ error, pointer, key }) => ({
    line: lineOf(pointer, key),
    message: describeSchemaError(error, pointer, value),
  }));
  const config = { ...defaultConfig(), ...(value as Partial<Config>) };
  const userPolicies =
    options.userPolicies === true || (Array.isArray(config.policies) && config.policies.length > 0);
  const rules = isObject(config.rules) ? unknownRules(config, userPolicies, lineOf) : [];
  const problems = [...schemaProblems, ...rules].sort((a, b) => a.line - b.line);
  return { config, file, display, problems, lineOf };
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function lineIn(doc: Document, lineCounter: LineCounter, pointer: string, key: boolean): number {
  const contents = doc.contents;
  if (!contents) return 1;
  return locate({ documents: [contents], lineCounter }, 0, pointer, { key })?.line ?? 1;
}

/** Throws every problem at once (exit 2), each as `file:line: message`, in file order. */
export function throwProblems(
  read: Pick<ReadConfig, 'display' | 'problems'>,
  more: ConfigProblem[] = [],
): void {
  const all = [...read.problems, ...more].sort((a, b) => a.line - b.line);
  const first = all[0];
  if (!first) return;
  throw new ConfigError(all.map((p) => `${read.display}:${p.line}: ${p.message}`).join('\n'), {
    file: read.display,
    line: first.line,
  });
}

/** readConfig, throwing its problems (ConfigError, exit 2). */
export function loadConfig(
  root: string,
  explicitPath?: string,
  options: { userPolicies?: boolean } = {},
): { config: Config; file?: string } {
  const read = readConfig(root, explicitPath, options);
  throwProblems(read);
  return read.file ? { config: read.config, file: read.file } : { config: read.config };
}
