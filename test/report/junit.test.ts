import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostic.js';
import { formatJunit } from '../../src/report/formatters/junit.js';
import { xmlAttribute, xmlText } from '../../src/report/formatters/xml.js';
import { SAMPLE, sampleContext } from './sample.js';

const finding = (line: number, severity: Diagnostic['severity'] = 'error'): Diagnostic => ({
  ruleId: 'policy/x',
  severity,
  message: `problem at ${line}`,
  file: 'apps/a.yaml',
  line,
  column: 1,
  source: 'policy',
});

describe('xml escaping', () => {
  it('escapes markup, keeps line breaks in attributes, and makes illegal characters visible', () => {
    expect(xmlText('a<b & c>d "q" \'s\'\r\n')).toBe('a&lt;b &amp; c&gt;d "q" \'s\'&#13;\n');
    expect(xmlAttribute('a<b & "q"\t\r\n')).toBe('a&lt;b &amp; &quot;q&quot;&#9;&#13;&#10;');
    expect(xmlText('\u0000\u0007\u001b\ufffe\ud800x🚀é')).toBe('\\u0000\\u0007\\u001B\\uFFFE\\uD800x🚀é');
  });
});

describe('junit', () => {
  it('is one document whose only raw characters are legal XML 1.0', () => {
    const out = formatJunit(SAMPLE, sampleContext());
    expect(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the check
    expect(out).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\r]/);
    expect(out).not.toMatch(/&(?!(amp|lt|gt|quot|#\d+);)/);
  });

  it('has a suite per cluster, then per file outside clusters; a case per file and rule', () => {
    const out = formatJunit(SAMPLE, sampleContext());
    expect(
      [...out.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)"/g)].map((m) => m.slice(1)),
    ).toEqual([
      ['cluster production', '3', '2'],
      ['cluster staging', '2', '2'],
      ['file apps/base/web/deployment.yaml', '1', '0'],
      ['file apps/odd dir/100%, a:b;c].yaml', '1', '1'],
    ]);
    expect(out).toMatch(
      /<testsuites name="fluxgate" tests="7" failures="5" errors="0" skipped="0" time="1.234">/,
    );
  });

  it('fails a case on errors and warnings, with every finding in its text; infos pass with output', () => {
    const out = formatJunit(
      [finding(3, 'warning'), finding(9, 'error'), finding(12, 'info')],
      sampleContext(),
    );
    expect(out).toContain(
      '<failure message="apps/a.yaml:9:1: problem at 9 (and 2 more)" type="error">' +
        'apps/a.yaml:3:1: warning: problem at 3\napps/a.yaml:9:1: error: problem at 9\napps/a.yaml:12:1: info: problem at 12</failure>',
    );
    const infos = formatJunit([finding(12, 'info')], sampleContext());
    expect(infos).toContain('<system-out>apps/a.yaml:12:1: info: problem at 12</system-out>');
    expect(infos).toContain('failures="0"');
  });

  it('shows a clean run as one passing test', () => {
    expect(formatJunit([], sampleContext({ failed: false }))).toContain(
      '<testsuite name="fluxgate" tests="1" failures="0" errors="0" skipped="0" time="0">\n    <testcase name="fluxgate validate" classname="fluxgate" time="0"/>',
    );
  });
});
