import type { DiffResult } from '../../diff/types.js';
import { formatDiffJson } from './json.js';
import { formatDiffMarkdown } from './markdown.js';
import { formatDiffText } from './text.js';

export interface DiffFormatOptions {
  color: boolean;
  /** Markdown: the most characters the output may have (a pull-request comment's limit). */
  maxChars: number;
}

/**
 * GitHub rejects a comment over 65,536 characters; 60,000 leaves room for what a CI step adds
 * around it. Azure DevOps allows 150,000 (`--max-size 150000`).
 */
export const DEFAULT_MARKDOWN_LIMIT = 60_000;

export const DIFF_FORMATTERS = {
  text: formatDiffText,
  json: formatDiffJson,
  markdown: formatDiffMarkdown,
} satisfies Record<string, (result: DiffResult, options: DiffFormatOptions) => string>;

export type DiffFormat = keyof typeof DIFF_FORMATTERS;

export function isDiffFormat(name: string): name is DiffFormat {
  return Object.hasOwn(DIFF_FORMATTERS, name);
}
