import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostic.js';
import { escapeData, escapeProperty, formatGithub } from '../../src/report/formatters/github.js';
import { SAMPLE, sampleContext } from './sample.js';

/** The runner's reading of a line (actions/runner ActionCommand.TryParseV2), to prove the escaping round-trips. */
function parseCommand(line: string) {
  const match = /^::(\w+) (.*?)::(.*)$/.exec(line);
  if (!match) return undefined;
  const decode = (s: string) =>
    s
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%3A/g, ':')
      .replace(/%2C/g, ',')
      .replace(/%25/g, '%');
  const properties = Object.fromEntries(
    match[2]!
      .split(',')
      .map((pair) => [pair.slice(0, pair.indexOf('=')), decode(pair.slice(pair.indexOf('=') + 1))]),
  );
  return { command: match[1], properties, message: decode(match[3]!) };
}

const error = (i: number, severity: Diagnostic['severity'] = 'error'): Diagnostic => ({
  ruleId: 'yaml/syntax',
  severity,
  message: `problem ${i}`,
  file: `apps/f${String(i).padStart(2, '0')}.yaml`,
  line: 1,
  column: 1,
  source: 'yaml',
});

describe('github', () => {
  it('escapes data and properties as actions/toolkit does', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext%3A a%2C b');
    expect(escapeData('\u001b[31mred')).toBe('\\u001B[31mred');
  });

  it('round-trips file, title and message through the runner’s parsing', () => {
    const lines = formatGithub(SAMPLE, sampleContext()).trimEnd().split('\n');
    const odd = lines.map(parseCommand).find((c) => c?.properties.title === 'yaml/syntax');
    const original = SAMPLE.find((d) => d.ruleId === 'yaml/syntax')!;
    expect(odd?.properties.file).toBe(`/work/repo/${original.file}`);
    expect(odd?.message).toBe(original.message.replace('\u0007', '\\u0007').replace('\u0000', '\\u0000'));
    // One line per annotation plus the summary: no message can start a line of its own.
    expect(lines).toHaveLength(7);
    expect(lines.slice(0, -1).every((line) => parseCommand(line))).toBe(true);
  });

  it('puts errors first, then warnings, then notices', () => {
    const out = formatGithub([error(1, 'info'), error(2, 'warning'), error(3)], sampleContext());
    expect(out.split('\n').map((l) => l.split(' ')[0])).toEqual([
      '::error',
      '::warning',
      '::notice',
      'fluxgate:',
      '',
    ]);
  });

  it('gives columns only for a one-line range', () => {
    const [multi] = formatGithub([{ ...error(1), endLine: 3, endColumn: 4 }], sampleContext()).split('\n');
    expect(multi).toBe('::error file=/work/repo/apps/f01.yaml,line=1,endLine=3,title=yaml/syntax::problem 1');
  });

  it('says how many annotations there are, and how many GitHub will not show', () => {
    const many = [...Array.from({ length: 12 }, (_, i) => error(i)), error(20, 'warning')];
    const lines = formatGithub(many, sampleContext()).trimEnd().split('\n');
    expect(lines.at(-1)).toBe(
      'fluxgate: 12 errors, 1 warning, 0 notices annotated; GitHub shows the first 10 of each kind per step, so 2 errors appear only in this log',
    );
    expect(
      formatGithub([error(1)], sampleContext())
        .trimEnd()
        .split('\n')
        .at(-1),
    ).toBe('fluxgate: 1 error, 0 warnings, 0 notices annotated');
  });

  it('prints nothing without findings, and no summary line with --quiet', () => {
    expect(formatGithub([], sampleContext())).toBe('');
    expect(formatGithub([error(1)], sampleContext({ quiet: true }))).toBe(
      '::error file=/work/repo/apps/f01.yaml,line=1,endLine=1,col=1,title=yaml/syntax::problem 1\n',
    );
  });
});
