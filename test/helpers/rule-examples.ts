export interface Example {
  kind: 'fail' | 'pass';
  files: Record<string, string>;
}

/**
 * Reads the `<!-- fail [file=...] [expand=N] -->` / `<!-- pass -->` examples of a rule page.
 * `expand=N` turns each `…` of the example into N characters (an example too large to print).
 */
export function parseExamples(markdown: string): Example[] {
  const examples: Example[] = [];
  const pattern =
    /<!--\s*(fail|pass)(?:\s+file=(\S+))?(?:\s+expand=(\d+))?\s*-->\s*\n```ya?ml\n([\s\S]*?)```/g;
  let previousEnd = -1;
  for (const match of markdown.matchAll(pattern)) {
    const kind = match[1] as 'fail' | 'pass';
    const file = match[2] ?? 'example.yaml';
    const expand = match[3] === undefined ? undefined : 'x'.repeat(Number(match[3]));
    const text = expand === undefined ? match[4]! : match[4]!.replaceAll('…', expand);
    const last = examples.at(-1);
    // Consecutive blocks of the same kind (only whitespace between them) form one repository.
    const adjacent = last && last.kind === kind && markdown.slice(previousEnd, match.index).trim() === '';
    if (adjacent) last.files[file] = text;
    else examples.push({ kind, files: { [file]: text } });
    previousEnd = match.index! + match[0].length;
  }
  return examples;
}
