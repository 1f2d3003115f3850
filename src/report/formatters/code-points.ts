/** Replaces every code point that `allowed` rejects by a visible `\uXXXX`. */
export function replaceCodePoints(text: string, allowed: (codePoint: number) => boolean): string {
  let out = '';
  // for..of walks code points: a surrogate pair is one character, a lone surrogate its own.
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    out += allowed(c) ? ch : `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/**
 * For CI logs: C0 controls other than tab, CR and LF (which the formats escape themselves), and DEL,
 * become visible. A log viewer would otherwise act on them: GitHub's renders ANSI escape sequences.
 */
export function visibleControls(text: string): string {
  return replaceCodePoints(text, (c) => (c >= 0x20 && c !== 0x7f) || c === 0x9 || c === 0xa || c === 0xd);
}

/**
 * For text that a CI log may interpret: repository content (messages, code frames) must not
 * become a command. Azure Pipelines acts on `##vso[` anywhere in a line; GitHub Actions on a
 * line starting with `::`. A zero-width space breaks both without changing what people read.
 */
export function inertInLogs(text: string): string {
  return visibleControls(text)
    .replaceAll('##vso[', '#\u200b#vso[')
    .replace(/^(\s*)::/gm, '$1:\u200b:');
}
