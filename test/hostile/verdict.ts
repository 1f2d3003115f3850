import { readFileSync } from 'node:fs';
import type { HostileCase } from './hostile-case.js';
import { CLUSTER_DIR, caseDir } from './hostile-repo.js';
import { type BoundedRun, processesWith } from './run-bounded.js';

export interface Diagnostic {
  ruleId: string;
  file: string;
  line: number;
  message: string;
}

export const GIB = 1024 * 1024 * 1024;

/** Lines of /etc/passwd long enough not to appear by chance: no output may hold them. */
function secretLines(): string[] {
  try {
    const lines = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .filter((l) => l.length >= 16);
    return ['root:x:0:0', ...lines];
  } catch {
    return ['root:x:0:0'];
  }
}

/**
 * What is wrong with a run over hostile input, whatever the input: a crash, a hang, a stack trace,
 * a wrong exit code, output that does not parse, memory past the bound, something left behind, or
 * anything read outside the repository. Returns the problems and the parsed findings.
 */
export function runProblems(
  run: BoundedRun & { marker: string },
  options: { codes: readonly number[]; memoryBytes?: number; outputs?: readonly string[] },
): { problems: string[]; diagnostics: Diagnostic[] } {
  const problems: string[] = [];
  if (run.killed) problems.push('hang: killed at the bound');
  if (!options.codes.includes(run.code ?? -1))
    problems.push(`exit ${run.code ?? run.signal}, expected ${options.codes.join(' or ')}`);
  if (/internal error/.test(run.stderr)) problems.push(`crash: ${run.stderr.slice(0, 500)}`);
  if (/\n\s+at .+[:(]\d+:\d+\)?\n/.test(`${run.stderr}\n`))
    problems.push(`stack trace on stderr: ${run.stderr.slice(0, 500)}`);
  if (run.peakBytes > (options.memoryBytes ?? GIB))
    problems.push(`memory ${Math.round(run.peakBytes / 1024 / 1024)} MB`);
  if (run.tempLeft.length > 0) problems.push(`temporary files left: ${run.tempLeft.join(', ')}`);
  const left = processesWith(run.marker);
  if (left.length > 0) problems.push(`processes left running: ${left.join(', ')}`);
  const outputs = [run.stdout, run.stderr, ...(options.outputs ?? [])];
  for (const line of secretLines())
    if (outputs.some((o) => o.includes(line)))
      problems.push(`read outside the repository: /etc/passwd line in the output`);
  let diagnostics: Diagnostic[] = [];
  if (run.code === 0 || run.code === 1) {
    try {
      const json = JSON.parse(run.stdout) as { version: number; diagnostics: Diagnostic[] };
      if (json.version !== 1) problems.push('JSON output without version 1');
      diagnostics = json.diagnostics;
    } catch (error) {
      problems.push(`JSON output does not parse: ${(error as Error).message}`);
    }
  }
  return { problems, diagnostics };
}

/** Each case's expected findings, and silence where it asks for it. */
export function caseProblems(cases: readonly HostileCase[], diagnostics: readonly Diagnostic[]): string[] {
  const problems: string[] = [];
  for (const c of cases) {
    const dir = caseDir(c.name);
    for (const e of c.expect ?? []) {
      const file = e.file.startsWith('@cluster/')
        ? `${CLUSTER_DIR}/${e.file.slice('@cluster/'.length)}`
        : `${dir}/${e.file}`;
      const hit = diagnostics.some(
        (d) =>
          d.file === file &&
          d.ruleId === e.ruleId &&
          (e.message === undefined || d.message.includes(e.message)),
      );
      if (!hit) {
        const there = diagnostics.filter((d) => d.file.startsWith(`${dir}/`) || d.file === file);
        problems.push(
          `${c.name}: no ${e.ruleId}${e.message ? ` "${e.message}"` : ''} at ${file}; found: ${there.map((d) => `${d.ruleId}@${d.file}:${d.line} ${d.message.slice(0, 80)}`).join(' | ') || 'nothing'}`,
        );
      }
    }
    if (c.silent) {
      const noise = diagnostics.filter((d) => d.file.startsWith(`${dir}/`));
      if (noise.length > 0)
        problems.push(
          `${c.name}: expected silence, found ${noise.map((d) => `${d.ruleId}@${d.file}`).join(', ')}`,
        );
    }
  }
  return problems;
}
