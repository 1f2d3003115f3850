import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import { FORMATTERS, type FormatName, isFormatName } from './index.js';

export interface OutputTarget {
  format: FormatName;
  /** Absolute path to write the output to; absent: stdout. */
  file?: string;
}

/** Formats that are one document each: two of them on stdout would be neither. */
const DOCUMENTS: readonly FormatName[] = ['json', 'sarif', 'junit'];

/**
 * Without --format: text, plus the annotations of the CI system we run in, detected by the variables
 * each sets on every job: GITHUB_ACTIONS=true (GitHub Actions), TF_BUILD (Azure Pipelines).
 */
function defaultTargets(env: Readonly<Record<string, string | undefined>>): OutputTarget[] {
  const targets: OutputTarget[] = [{ format: 'text' }];
  if (env.GITHUB_ACTIONS === 'true') targets.push({ format: 'github' });
  if (env.TF_BUILD) targets.push({ format: 'azure' });
  return targets;
}

function parseSpec(spec: string, cwd: string): OutputTarget {
  const eq = spec.indexOf('=');
  const format = eq < 0 ? spec : spec.slice(0, eq);
  if (!isFormatName(format)) {
    throw new UsageError(`--format ${format}: unknown format (${Object.keys(FORMATTERS).join(', ')})`);
  }
  if (eq < 0) return { format };
  const file = spec.slice(eq + 1);
  if (file === '') throw new UsageError(`--format ${spec}: expected ${format}=FILE`);
  return { format, file: path.resolve(cwd, file) };
}

/**
 * Where each `--format FORMAT[=FILE]` goes, in the order given (FILE relative to the working
 * directory). On stdout, text, github and azure can be combined; json, sarif and junit at most one.
 */
export function planOutputs(
  specs: readonly string[] | undefined,
  { cwd, env }: { cwd: string; env: Readonly<Record<string, string | undefined>> },
): OutputTarget[] {
  if (!specs || specs.length === 0) return defaultTargets(env);
  const targets = specs.map((spec) => parseSpec(spec, cwd));
  const documents = targets.filter((t) => !t.file && DOCUMENTS.includes(t.format)).map((t) => t.format);
  if (documents.length > 1) {
    throw new UsageError(
      `--format ${documents.join(', ')}: at most one of ${DOCUMENTS.join(', ')} can go to stdout; ` +
        'write the others to files with --format FORMAT=FILE',
    );
  }
  const files = new Set<string>();
  for (const { file } of targets) {
    if (!file) continue;
    if (files.has(file)) throw new UsageError(`--format: ${file} is named twice`);
    files.add(file);
  }
  return targets;
}
