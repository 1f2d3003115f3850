import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostic.js';
import { escapeAzure, formatAzure } from '../../src/report/formatters/azure.js';
import { SAMPLE, sampleContext } from './sample.js';

/** The agent's reading of a line (azure-pipelines-agent Command.cs and CommandStringConvertor.Unescape). */
function parseCommand(line: string) {
  const start = line.indexOf('##vso[');
  if (start < 0) return undefined;
  const end = line.indexOf(']', start);
  if (end < 0) return undefined;
  const decode = (s: string) =>
    s
      .replace(/%3B/g, ';')
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%5D/g, ']')
      .replace(/%AZP25/g, '%');
  const info = line.slice(start + 6, end);
  const space = info.indexOf(' ');
  const properties = Object.fromEntries(
    info
      .slice(space + 1)
      .split(';')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), decode(pair.slice(pair.indexOf('=') + 1))]),
  );
  return { command: info.slice(0, space), properties, message: decode(line.slice(end + 1)) };
}

const finding = (severity: Diagnostic['severity'], message: string): Diagnostic => ({
  ruleId: 'policy/x',
  severity,
  message,
  file: 'apps/a.yaml',
  line: 4,
  column: 2,
  source: 'policy',
});

describe('azure', () => {
  it('escapes % first, then ; CR LF ]', () => {
    expect(escapeAzure('100%;a\r\nb]%3B')).toBe('100%AZP25%3Ba%0D%0Ab%5D%AZP253B');
  });

  it('round-trips path, line, column, rule and message through the agent’s parsing', () => {
    const lines = formatAzure(SAMPLE, sampleContext()).trimEnd().split('\n');
    const original = SAMPLE.find((d) => d.ruleId === 'yaml/syntax')!;
    const parsed = lines.map(parseCommand).find((c) => c?.properties.code === 'yaml/syntax');
    expect(parsed).toEqual({
      command: 'task.logissue',
      properties: {
        type: 'error',
        sourcepath: `/work/repo/${original.file}`,
        linenumber: '3',
        columnnumber: '7',
        code: 'yaml/syntax',
      },
      message: original.message.replace('\u0007', '\\u0007').replace('\u0000', '\\u0000'),
    });
  });

  it('lists errors, then warnings, then infos as plain lines, then fails the task', () => {
    const lines = formatAzure(SAMPLE, sampleContext()).trimEnd().split('\n');
    expect(lines.map((l) => parseCommand(l)?.properties.type ?? parseCommand(l)?.command ?? 'plain')).toEqual(
      ['error', 'error', 'error', 'warning', 'plain', 'plain', 'task.complete'],
    );
    expect(lines.at(-1)).toBe('##vso[task.complete result=Failed;]');
  });

  it('does not fail the task when the run passes', () => {
    expect(formatAzure([finding('warning', 'w')], sampleContext({ failed: false }))).toBe(
      '##vso[task.logissue type=warning;sourcepath=/work/repo/apps/a.yaml;linenumber=4;columnnumber=2;code=policy/x]w\n',
    );
    expect(formatAzure([], sampleContext({ failed: false }))).toBe('');
  });

  it('keeps an info line from injecting a logging command', () => {
    const out = formatAzure(
      [finding('info', 'x\n##vso[task.setvariable variable=a]1')],
      sampleContext({ failed: false }),
    );
    expect(out).toBe('info apps/a.yaml:4:2 policy/x: x ##vso [task.setvariable variable=a]1\n');
    expect(parseCommand(out)).toBeUndefined();
  });
});
