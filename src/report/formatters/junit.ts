import type { Diagnostic } from '../../core/diagnostic.js';
import type { Formatter } from '../formatter.js';
import { xmlAttribute as attr, xmlText as text } from './xml.js';

/** One test case: a file and a rule, within one suite (a cluster, or a file outside every cluster). */
interface Case {
  file: string;
  ruleId: string;
  findings: Diagnostic[];
}

interface Suite {
  name: string;
  cases: Map<string, Case>;
}

function location(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}`;
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

function suitesOf(diagnostics: readonly Diagnostic[]): Suite[] {
  const clusters = new Map<string, Suite>();
  const files = new Map<string, Suite>();
  for (const d of diagnostics) {
    const suite = d.cluster
      ? getOrAdd(clusters, d.cluster, () => ({ name: `cluster ${d.cluster}`, cases: new Map() }))
      : getOrAdd(files, d.file, () => ({ name: `file ${d.file}`, cases: new Map() }));
    const key = JSON.stringify([d.file, d.ruleId]);
    getOrAdd(suite.cases, key, () => ({
      file: d.file,
      ruleId: d.ruleId,
      findings: [] as Diagnostic[],
    })).findings.push(d);
  }
  const byKey = (a: [string, Suite], b: [string, Suite]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return [...[...clusters].sort(byKey), ...[...files].sort(byKey)].map(([, suite]) => suite);
}

function sortedCases(suite: Suite): Case[] {
  return [...suite.cases.values()].sort((a, b) =>
    a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0,
  );
}

/**
 * Errors and warnings fail their test case (`type` says which), since CI test views have no warning
 * outcome and a passed test would hide them; infos pass, with their lines in <system-out>. Azure's
 * JUnit reader and most reporters read one <failure> per test case: its `message` is the first
 * finding, its text every finding of that file and rule, one `file:line:col: severity: message` a line.
 */
function testCase(c: Case): { xml: string[]; failed: boolean } {
  const lines = c.findings.map((d) => `${location(d)}: ${d.severity}: ${d.message}`).join('\n');
  const failing = c.findings.filter((d) => d.severity !== 'info');
  const first = failing.find((d) => d.severity === 'error') ?? failing[0];
  const open = `    <testcase name="${attr(`${c.file}: ${c.ruleId}`)}" classname="${attr(c.file)}" file="${attr(c.file)}" line="${c.findings[0]!.line}" time="0">`;
  if (!first) {
    return { xml: [open, `      <system-out>${text(lines)}</system-out>`, '    </testcase>'], failed: false };
  }
  const more = c.findings.length > 1 ? ` (and ${c.findings.length - 1} more)` : '';
  const message = `${location(first)}: ${first.message}${more}`;
  return {
    xml: [
      open,
      `      <failure message="${attr(message)}" type="${first.severity}">${text(lines)}</failure>`,
      '    </testcase>',
    ],
    failed: true,
  };
}

/**
 * `--format junit`: one <testsuite> per cluster (findings outside clusters: one per file), one
 * <testcase> per file and rule. The common JUnit dialect read by Azure DevOps PublishTestResults@2
 * (testResultsFormat: JUnit) and GitHub test reporters; `file` and `line` on <testcase> are the
 * extension pytest and those reporters use to link a test to its source. A clean run is one passing
 * test, so a test view never shows "no tests".
 */
export const formatJunit: Formatter = (diagnostics, { summary }) => {
  const suites = suitesOf(diagnostics);
  const body: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const suite of suites) {
    const cases = sortedCases(suite).map(testCase);
    const failed = cases.filter((c) => c.failed).length;
    tests += cases.length;
    failures += failed;
    body.push(
      `  <testsuite name="${attr(suite.name)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="0" time="0">`,
      ...cases.flatMap((c) => c.xml),
      '  </testsuite>',
    );
  }
  if (suites.length === 0) {
    tests = 1;
    body.push(
      '  <testsuite name="fluxgate" tests="1" failures="0" errors="0" skipped="0" time="0">',
      '    <testcase name="fluxgate validate" classname="fluxgate" time="0"/>',
      '  </testsuite>',
    );
  }
  const time = (summary.durationMs / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="fluxgate" tests="${tests}" failures="${failures}" errors="0" skipped="0" time="${time}">`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
};
