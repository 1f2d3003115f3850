import path from 'node:path';
import type { Formatter } from '../formatter.js';
import { visibleControls } from './code-points.js';
import { groupByPlace, messageWithClusters, type PlacedFinding, severityFirst } from './group-by-place.js';

// Azure Pipelines logging commands:
// https://learn.microsoft.com/azure/devops/pipelines/scripts/logging-commands

/**
 * The agent's escaping, applied to property values and to the message alike (it unescapes both:
 * azure-pipelines-agent, src/Agent.Sdk/CommandStringConvertor.cs): `%` first, as `%AZP25`, then
 * `;` `\r` `\n` `]`. An escaped `]` also means repository text can never close the command early.
 * Other control characters are made visible.
 */
export function escapeAzure(value: string): string {
  return visibleControls(value)
    .replace(/%/g, '%AZP25')
    .replace(/;/g, '%3B')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(/]/g, '%5D');
}

/**
 * A plain log line is not decoded by the agent, but it does look for `##vso[` anywhere in every line
 * (Command.cs): line breaks become spaces and the prefix is broken, so a finding can't inject a command.
 */
function plainLine(value: string): string {
  return visibleControls(value)
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/##vso\[/gi, '##vso [');
}

function logIssue(finding: PlacedFinding, root: string): string {
  const d = finding.diagnostic;
  // An absolute path: the agent maps it to the repository and a repo-relative path itself (it checks
  // that the file exists, from its own working directory), which links the issue to the source.
  const props: [string, string | number][] = [
    ['type', d.severity],
    ['sourcepath', path.join(root, d.file)],
  ];
  if (d.line >= 1) props.push(['linenumber', d.line]);
  if (d.line >= 1 && d.column >= 1) props.push(['columnnumber', d.column]);
  props.push(['code', d.ruleId]);
  const properties = props.map(([key, value]) => `${key}=${escapeAzure(String(value))}`).join(';');
  return `##vso[task.logissue ${properties}]${escapeAzure(messageWithClusters(finding))}`;
}

/**
 * `--format azure`: `task.logissue` per finding and place (its clusters in the message), errors first,
 * since the agent keeps only 10 issues of each type per task in the timeline (ExecutionContext.cs), then
 * warnings. logissue has no info type: infos are plain log lines, `info <file>:<line>:<col> <rule>: <message>`,
 * visible in the log without counting as issues. Then `task.complete result=Failed` when the run fails.
 */
export const formatAzure: Formatter = (diagnostics, context) => {
  const lines: string[] = [];
  for (const finding of severityFirst(groupByPlace(diagnostics))) {
    const d = finding.diagnostic;
    lines.push(
      d.severity === 'info'
        ? plainLine(`info ${d.file}:${d.line}:${d.column} ${d.ruleId}: ${messageWithClusters(finding)}`)
        : logIssue(finding, context.root),
    );
  }
  if (context.failed) lines.push('##vso[task.complete result=Failed;]');
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
};
