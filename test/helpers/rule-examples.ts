export interface Example {
  kind: 'fail' | 'pass';
  files: Record<string, string>;
}

/** Reads the `<!-- fail [file=...] -->` / `<!-- pass -->` examples of a rule page. */
export function parseExamples(markdown: string): Example[] {
  const examples: Example[] = [];
  const pattern = /<!--\s*(fail|pass)(?:\s+file=(\S+))?\s*-->\s*\n```ya?ml\n([\s\S]*?)```/g;
  let previousEnd = -1;
  for (const match of markdown.matchAll(pattern)) {
    const kind = match[1] as 'fail' | 'pass';
    const file = match[2] ?? 'example.yaml';
    const last = examples.at(-1);
    // Consecutive blocks of the same kind (only whitespace between them) form one repository.
    const adjacent = last && last.kind === kind && markdown.slice(previousEnd, match.index).trim() === '';
    if (adjacent) last.files[file] = match[3]!;
    else examples.push({ kind, files: { [file]: match[3]! } });
    previousEnd = match.index! + match[0].length;
  }
  return examples;
}
