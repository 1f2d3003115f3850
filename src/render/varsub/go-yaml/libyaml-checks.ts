// Inputs that the `yaml` package accepts but go-yaml v2's scanner (a port of libyaml) rejects. The
// substituted text can only reach these through a variable's value, e.g. a value starting with a tab
// after `key: `, or `&a.b` at the start of a plain scalar. Messages are libyaml's.
import { isAlias, isScalar, type Node } from 'yaml';

export class LibyamlError extends Error {}

const anchorName = /^[0-9A-Za-z_-]+$/;

/** libyaml anchors and aliases are ASCII letters, digits, `_` and `-`. */
function checkAnchor(node: Node): void {
  const name = isAlias(node) ? node.source : node.anchor;
  if (name !== undefined && !anchorName.test(name)) {
    throw new LibyamlError('yaml: did not find expected alphabetic or numeric character');
  }
}

/**
 * In block context libyaml does not skip a tab where a simple key may start: in indentation, after
 * `- `, `? ` and after the `:` of a complex (`? `) key, a tab before the node is "found character that
 * cannot start any token". After the `:` of a simple key (`key:\tvalue`) tabs are fine.
 */
function checkTabBefore(text: string, start: number): void {
  let i = start - 1;
  let tab = false;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) {
    if (text[i] === '\t') tab = true;
    i--;
  }
  if (!tab) return;
  const before = i < 0 ? '\n' : text[i];
  if (before === ':') {
    let j = i - 1;
    while (j >= 0 && text[j] === ' ') j--;
    if (j >= 0 && text[j] !== '\n') return;
  }
  if (before === '\n' || before === '-' || before === '?' || before === ':') {
    throw new LibyamlError('yaml: found character that cannot start any token');
  }
}

/**
 * A block scalar without an indentation indicator takes its indentation from its first non-empty
 * line; libyaml rejects a tab within the indentation ("found a tab character where an indentation
 * space is expected"), also on later lines indented less than the block.
 */
function checkBlockScalarTabs(text: string, start: number, end: number): void {
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return;
  if (/[1-9]/.test(text.slice(start, headerEnd))) return;
  let indent = -1;
  for (let lineStart = headerEnd + 1; lineStart < end; ) {
    const lineEnd = text.indexOf('\n', lineStart) < 0 ? end : Math.min(text.indexOf('\n', lineStart), end);
    let spaces = 0;
    while (text[lineStart + spaces] === ' ') spaces++;
    const next = text[lineStart + spaces];
    if (next === '\t' && (indent < 0 || spaces < indent)) {
      throw new LibyamlError('yaml: found a tab character where an indentation space is expected');
    }
    if (indent < 0 && lineStart + spaces < lineEnd) indent = spaces;
    lineStart = lineEnd + 1;
  }
}

export function checkLibyamlCompat(text: string, node: Node, blockContext: boolean): void {
  checkAnchor(node);
  const range = node.range;
  if (!range) return;
  if (blockContext && !node.anchor && !node.tag) checkTabBefore(text, range[0]);
  if (isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED')) {
    checkBlockScalarTabs(text, range[0], range[2]);
  }
}
