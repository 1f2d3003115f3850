/**
 * Turns kustomize's stderr into one message: `# Warning:` lines (deprecations, reported separately
 * at their field) are dropped, as is kubectl's klog prefix (`E1123 21:30:35.899795  11507
 * run.go:72] "command failed" err="..."`) and the `Error: ` label of the kustomize CLI.
 */
export function cleanKustomizeStderr(stderr: string): string {
  const lines = stderr.split(/\r?\n/).filter((line) => !line.startsWith('# Warning:') && line.trim() !== '');
  const out = lines.map((line) => {
    const klog = /^[EWIF]\d{4} [\d:.]+\s+\d+ [^\]]+\] "command failed" err="(.*)"\s*$/.exec(line);
    if (klog) return unquote(klog[1]!);
    return line.replace(/^Error: /, '');
  });
  return out.join('\n').trim();
}

/** Absolute paths (under `base`) in a message, replaced by what `rewrite` returns. */
export function rewritePaths(message: string, base: string, rewrite: (absolute: string) => string): string {
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return message.replace(new RegExp(`${escaped}[^\\s'":,\\])]*`, 'g'), (match) => rewrite(match));
}

/**
 * What a kustomize error names, in the order it names them: quoted entries (`accumulating
 * resources from 'x'`, `evalsymlink failure on '/abs'`), `path(x)` of patch files and `[x y]` lists
 * of generator files and CRDs. The last named entry is usually the deepest cause.
 */
export function namedEntries(message: string): string[] {
  const out: string[] = [];
  const pattern = /'([^'\n]+)'|path\(([^)\n]+)\)|(?:sources|CRDs): \[([^\]\n]+)\]|unknown field "([^"\n]+)"/g;
  for (const match of message.matchAll(pattern)) {
    const value = match[1] ?? match[2] ?? match[4];
    if (value !== undefined) out.push(value);
    if (match[3] !== undefined) out.push(...match[3].split(/\s+/));
  }
  return out.filter((v) => v !== '');
}

/** klog quotes the error like Go's %q; JSON reads the common escapes. */
function unquote(text: string): string {
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text.replaceAll('\\"', '"');
  }
}
