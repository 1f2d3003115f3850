import { readFileSync } from 'node:fs';
import path from 'node:path';

const PROJECT = path.resolve(import.meta.dirname, '../..');

/** The first fenced code block after `heading` in a document of this repository, as written. */
export function codeBlock(file: string, heading: string): string {
  const text = readFileSync(path.join(PROJECT, file), 'utf8');
  const at = text.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`${file}: no heading "${heading}"`);
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(text.slice(at));
  if (!block) throw new Error(`${file}: no code block after "${heading}"`);
  return block[1]!;
}

/** The command lines of a shell block, without comments. */
export function commands(block: string): string[] {
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
