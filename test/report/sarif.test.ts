import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { type Diagnostic, sortDiagnostics } from '../../src/core/diagnostic.js';
import { formatSarif } from '../../src/report/formatters/sarif.js';
import { sarifSchema } from '../helpers/sarif-schema.js';
import { SAMPLE, sampleContext } from './sample.js';

const SCHEMA = sarifSchema();

function validator() {
  // Draft-04's `id` is draft-06+'s `$id`; no other draft-04-only keyword occurs in this schema.
  const { $schema: _draft, id, ...schema } = SCHEMA;
  // unicodeRegExp off: rtm.5's `language` pattern has a stray `]` (the bug errata01 fixed), legal only without /u.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  return ajv.compile({ ...schema, $id: id as string });
}

interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region?: Record<string, number> } }[];
  partialFingerprints: Record<string, string>;
  properties: { clusters?: string[] };
}

function run(diagnostics: readonly Diagnostic[]) {
  const log = JSON.parse(formatSarif(diagnostics, sampleContext()));
  return log.runs[0] as { tool: { driver: { rules: { id: string }[] } }; results: Result[] };
}

const fingerprints = (diagnostics: readonly Diagnostic[]) =>
  run(diagnostics).results.map((r) => r.partialFingerprints['fluxgate/v1']);

describe('sarif', () => {
  const validate = validator();

  it('validates against the SARIF 2.1.0 schema, with and without results', () => {
    for (const diagnostics of [SAMPLE, []]) {
      const log = JSON.parse(formatSarif(diagnostics, sampleContext()));
      expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    }
  });

  it('the schema check is real: a broken log fails', () => {
    const log = JSON.parse(formatSarif(SAMPLE, sampleContext()));
    log.runs[0].results[0].level = 'info';
    expect(validate(log)).toBe(false);
  });

  it('describes each rule with its page (help, fullDescription, helpUri) and names the analysis', () => {
    const log = JSON.parse(formatSarif(SAMPLE, sampleContext()));
    const runLog = log.runs[0];
    expect(runLog.automationDetails).toEqual({ id: 'fluxgate/' });
    const rule = runLog.tool.driver.rules.find((r: { id: string }) => r.id === 'yaml/duplicate-key');
    expect(rule.helpUri).toBe(
      'https://github.com/fluxgate-dev/fluxgate/blob/main/docs/rules/yaml-duplicate-key.md',
    );
    expect(rule.fullDescription.text).toMatch(
      /^A mapping names the same key twice\. .*Reported at the second occurrence\.$/,
    );
    expect(rule.help.text).toContain(rule.fullDescription.text);
    expect(rule.help.markdown).toContain('## Fails');
    expect(rule.help.markdown).toContain('  replicas: 3\n```');
    expect(rule.help.markdown).not.toContain('<!--');
  });

  it('every region has a startLine (SARIF 2.1.0 errata01) and every ruleIndex names its rule', () => {
    const { tool, results } = run(SAMPLE);
    for (const result of results) {
      const region = result.locations[0]!.physicalLocation.region;
      expect(region?.startLine).toBeGreaterThanOrEqual(1);
      expect(tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
    }
  });

  it('reports a finding found in several clusters once, listing them', () => {
    const latest = run(SAMPLE).results.filter((r) => r.ruleId === 'policy/no-latest-tag');
    expect(latest).toHaveLength(1);
    expect(latest[0]!.properties.clusters).toEqual(['production', 'staging']);
    expect(latest[0]!.message.text).toMatch(/\(clusters: production, staging\)$/);
  });

  it('percent-encodes file names into relative URIs', () => {
    const uris = run(SAMPLE).results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toContain('apps/odd%20dir/100%25%2C%20a%3Ab%3Bc%5D.yaml');
  });

  it('keeps fingerprints when lines shift, and when a cluster is added', () => {
    const shifted = SAMPLE.map((d) => ({
      ...d,
      line: d.line + 7,
      ...(d.endLine ? { endLine: d.endLine + 7 } : {}),
    }));
    expect(fingerprints(shifted)).toEqual(fingerprints(SAMPLE));
    const dev = SAMPLE.filter((d) => d.cluster === 'staging').map((d) => ({ ...d, cluster: 'dev' }));
    const sorted = (list: (string | undefined)[]) => [...list].sort();
    expect(sorted(fingerprints(sortDiagnostics([...SAMPLE, ...dev])))).toEqual(sorted(fingerprints(SAMPLE)));
  });

  it('changes a fingerprint with the message, and tells identical findings apart by occurrence', () => {
    const one = SAMPLE[0]!;
    expect(fingerprints([{ ...one, message: 'another problem' }])).not.toEqual(fingerprints([one]));
    const [a, b] = fingerprints([one, { ...one, line: one.line + 10 }]);
    expect(a!.replace(/:\d+$/, '')).toBe(b!.replace(/:\d+$/, ''));
    expect([a!.slice(-2), b!.slice(-2)]).toEqual([':1', ':2']);
  });
});
