import { structuredPatch } from 'diff';

/**
 * A unified diff (`--- a/…`, `+++ b/…`, `@@` hunks) of two texts, computed by jsdiff. Empty when
 * the texts are equal. `/dev/null` stands for a missing side, as in git.
 */
export function unifiedDiff(
  oldName: string | undefined,
  newName: string | undefined,
  oldText: string,
  newText: string,
  context: number,
): string {
  if (oldText === newText) return '';
  const patch = structuredPatch(oldName ?? '/dev/null', newName ?? '/dev/null', oldText, newText, '', '', {
    context,
  });
  const lines = [
    `--- ${oldName ? `a/${oldName}` : '/dev/null'}`,
    `+++ ${newName ? `b/${newName}` : '/dev/null'}`,
  ];
  for (const hunk of patch.hunks) {
    // As GNU diff and git print them: an empty side starts at line 0.
    const range = (start: number, count: number) =>
      `${count === 0 ? Math.max(0, start - 1) : start},${count}`;
    lines.push(`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`);
    for (const line of hunk.lines) if (!line.startsWith('\\')) lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}
