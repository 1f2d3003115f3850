import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderRepo } from './helpers.js';

export const FLEET = path.resolve(import.meta.dirname, '../fixtures/render/fleet');

let rendered: ReturnType<typeof renderRepo> | undefined;

/** test/fixtures/render/fleet rendered once per test file. */
export function fleet() {
  rendered ??= renderRepo(FLEET);
  return rendered;
}

/** The 1-based line of the first line of a fixture file containing `text`. */
export function lineOf(file: string, text: string): number {
  const lines = readFileSync(path.join(FLEET, file), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`${file} has no line with ${text}`);
  return index + 1;
}
