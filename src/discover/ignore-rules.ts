import type { Ignore } from 'ignore';
import { readRegularFile } from '../core/read-regular.js';

/** gitignore-format patterns that apply below `base` (repository-relative, '' for the root). */
export interface IgnoreMatcher {
  base: string;
  ig: Ignore;
}

/** The lines of an ignore file, or undefined when there is none. */
export function readIgnoreFile(file: string): string[] | undefined {
  try {
    // A regular file only: a FIFO named .gitignore or .sourceignore would block the read.
    return readRegularFile(file).toString('utf8').split(/\r?\n/);
  } catch {
    return undefined;
  }
}

/** The pattern lines of an ignore file's text (no blanks, no comments). */
export function patternLines(text: string | undefined): string[] {
  return (text ?? '').split(/\r?\n/).filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

/**
 * Whether `rel` is ignored by the matchers, in order: each applies to paths below its base, the
 * last one with an opinion wins (a later `!pattern` re-includes), as git does across its files.
 */
export function ignoredBy(matchers: readonly IgnoreMatcher[], rel: string, dir: boolean): boolean {
  let state = false;
  for (const { base, ig } of matchers) {
    if (base !== '' && !rel.startsWith(`${base}/`)) continue;
    const sub = base === '' ? rel : rel.slice(base.length + 1);
    const result = ig.test(dir ? `${sub}/` : sub);
    if (result.ignored) state = true;
    else if (result.unignored) state = false;
  }
  return state;
}
