import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../core/diagnostic.js';
import { UsageError } from '../core/errors.js';

/**
 * What identifies "the same finding" across commits: not its line, which moves when lines are
 * added above it, but its rule, file, cluster, resource and message.
 */
export function fingerprint(d: Diagnostic): string {
  const r = d.resource;
  const resource = r ? `${r.kind}/${r.namespace ?? ''}/${r.name}` : '';
  return [d.ruleId, d.file, d.cluster ?? '', resource, d.message].join('\u0000');
}

/**
 * Keeps the findings that are new relative to a baseline. Counted as a multiset: a second copy
 * of a known finding in the same file is new.
 */
export function newFindings(current: readonly Diagnostic[], baseline: readonly Diagnostic[]): Diagnostic[] {
  const known = new Map<string, number>();
  for (const d of baseline) known.set(fingerprint(d), (known.get(fingerprint(d)) ?? 0) + 1);
  return current.filter((d) => {
    const key = fingerprint(d);
    const left = known.get(key) ?? 0;
    if (left === 0) return true;
    known.set(key, left - 1);
    return false;
  });
}

/** Reads a previous `--format json` output. */
export function readBaseline(file: string, display = file): Diagnostic[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const reason = e.code === 'ENOENT' ? 'no such file' : e.message;
    throw new UsageError(`--baseline ${display}: ${reason}`, { cause: error });
  }
  const diagnostics = (parsed as { version?: unknown; diagnostics?: unknown }).diagnostics;
  if ((parsed as { version?: unknown }).version !== 1 || !Array.isArray(diagnostics)) {
    throw new UsageError(`--baseline ${display}: not a fluxgate --format json output (version 1)`);
  }
  return diagnostics as Diagnostic[];
}
