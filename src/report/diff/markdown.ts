import type { Diagnostic } from '../../core/diagnostic.js';
import type { ClusterDiff, DiffResult, FindingChanges, ObjectChange } from '../../diff/types.js';
import type { DiffFormatOptions } from './format.js';
import {
  changeTitle,
  clusterLine,
  findingsPhrase,
  findingsSummary,
  objectCounts,
  plural,
  producerText,
  reachLine,
  sideText,
} from './phrases.js';

/** Text that markdown (and the HTML GitHub and Azure DevOps allow in it) shows as written. */
function mdText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

/** A fenced block no line of `text` can close: one backtick more than its longest run. */
function fenced(text: string, info: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text.endsWith('\n') ? text : `${text}\n`}${fence}\n`;
}

/** `- new **error** \`rule\` file:line: message`: a word, not a sign (`- +` would start a nested list). */
function findingItem(d: Diagnostic, state: 'new' | 'gone'): string {
  return `- ${state} **${d.severity}** \`${d.ruleId}\` ${mdText(d.file)}:${d.line}: ${mdText(d.message)}\n`;
}

function findingsSection(changes: FindingChanges): string {
  if (changes.added.length + changes.removed.length === 0) return '';
  return `**Findings** (${mdText(findingsPhrase(changes))}):\n\n${[
    ...changes.added.map((d) => findingItem(d, 'new')),
    ...changes.removed.map((d) => findingItem(d, 'gone')),
  ].join('')}\n`;
}

function notRenderedSection(c: ClusterDiff): string {
  if (c.notRendered.length === 0) return '';
  return `**Not rendered** (changes to their objects are not shown):\n\n${c.notRendered.map((n) => `- ${mdText(n)}\n`).join('')}\n`;
}

function objectTitle(o: ObjectChange): string {
  return `**${mdText(changeTitle(o))}** from ${mdText(producerText(o.producer))}\n\n`;
}

function objectBlock(o: ObjectChange): string {
  if (o.redactedOnly) return `${objectTitle(o)}Only redacted Secret values differ.\n\n`;
  return `${objectTitle(o)}${fenced(o.diff, 'diff')}\n`;
}

/**
 * The object's diff cut to its first lines so that the block fits in `room` characters, the cut
 * said inside it; undefined when not even a few lines fit.
 */
function cutBlock(o: ObjectChange, room: number): string | undefined {
  const lines = o.diff.split('\n').slice(0, -1);
  const note = (left: number) => `... ${plural(left, 'more line')} of this diff not shown`;
  // Title, two fences (never longer than 10 backticks for a diff of YAML), the note, newlines.
  let size = objectTitle(o).length + 2 * 12 + note(lines.length).length + 4;
  let kept = 0;
  for (const line of lines) {
    if (size + line.length + 1 > room) break;
    size += line.length + 1;
    kept++;
  }
  if (kept < 4) return undefined;
  const text = `${lines.slice(0, kept).join('\n')}\n${note(lines.length - kept)}\n`;
  return `${objectTitle(o)}${fenced(text, 'diff')}\n`;
}

function summaryRow(c: ClusterDiff): string {
  const count = (k: ObjectChange['change']) => c.objects.filter((o) => o.change === k).length;
  const state = c.status === 'added' ? ' (new)' : c.status === 'removed' ? ' (removed)' : '';
  const changed = count('changed') + count('renamed');
  const findings = mdText(findingsPhrase(c.findings)) || '–';
  return `| ${mdText(c.name)}${state} | ${count('added')} | ${count('removed')} | ${changed} | ${findings} |\n`;
}

const open = (c: ClusterDiff) =>
  `<details>\n<summary><b>${mdText(c.name)}</b>: ${mdText(clusterLine(c))}</summary>\n\n`;
const CLOSE = '</details>\n\n';

/**
 * A pull-request comment: the reach line and a summary table on top, then one collapsed section
 * per reached cluster with its findings and object diffs. Never longer than `maxChars`: object
 * diffs that do not fit are left out, whole, and a note says how many.
 */
export function formatDiffMarkdown(result: DiffResult, options: DiffFormatOptions): string {
  const reached = result.clusters.filter((c) => c.status !== 'unchanged');
  const findings = findingsSummary(result);
  // The reach and the findings are paragraphs of their own: one line each when rendered.
  let head = `### fluxgate diff\n\n${mdText(reachLine(result))}\n\n${findings ? `**${mdText(findings)}**\n\n` : ''}<sub>${mdText(sideText(result))}</sub>\n\n`;
  if (reached.length > 0) {
    head += '| Cluster | Added | Removed | Changed | Findings |\n|---|---:|---:|---:|---|\n';
    head += reached.map(summaryRow).join('');
    head += '\n';
  }
  head += findingsSection(result.repository);
  const total = reached.reduce((n, c) => n + c.objects.length, 0);
  // Room kept for the truncation note (at most this long).
  const reserve = 400;
  let body = '';
  let shown = 0;
  let cut = false;
  let truncated = false;
  for (const cluster of reached) {
    let section = open(cluster) + findingsSection(cluster.findings) + notRenderedSection(cluster);
    if (head.length + body.length + section.length + CLOSE.length + reserve > options.maxChars) {
      truncated = true;
      break;
    }
    for (const o of cluster.objects) {
      if (truncated) break;
      const room = options.maxChars - (head.length + body.length + section.length + CLOSE.length + reserve);
      const block = objectBlock(o);
      if (block.length <= room) {
        section += block;
        shown++;
        continue;
      }
      truncated = true;
      // The first object that does not fit shows its first lines, rather than leave a gap.
      const part = o.redactedOnly ? undefined : cutBlock(o, room);
      if (part) {
        section += part;
        cut = true;
      }
    }
    body += section + CLOSE;
    if (truncated) break;
  }
  const note = truncated
    ? `> [!NOTE]\n> **Truncated**: the whole diff is longer than ${options.maxChars.toLocaleString('en-US')} characters; ${shown} of ${plural(total, 'object change')} shown${cut ? ' whole, one more cut short' : ''} (${mdText(objectCounts(reached.flatMap((c) => c.objects)))} in all). Run \`fluxgate diff\` locally, or \`--format json\`, for all of it.\n`
    : '';
  return head + body + note;
}
