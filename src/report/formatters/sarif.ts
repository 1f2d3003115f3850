import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, Severity } from '../../core/diagnostic.js';
import { findRule } from '../../rules/registry.js';
import { RULE_HELP } from '../../rules/rule-help.generated.js';
import { helpUri } from '../../rules/rule-meta.js';
import type { Formatter } from '../formatter.js';
import { groupByPlace, messageWithClusters, type PlacedFinding } from './group-by-place.js';
import { FINGERPRINT_KEY, partialFingerprints } from './sarif-fingerprint.js';

// SARIF 2.1.0, OASIS Standard with Errata 01:
// https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/sarif-v2.1.0-errata01-os-complete.html
const SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const INFORMATION_URI = 'https://github.com/fluxgate-dev/fluxgate';
/** runAutomationDetails.id (§3.17.4): "<category>/", one category for fluxgate's runs. */
const AUTOMATION_ID = 'fluxgate/';
/** Relative artifact URIs resolve against the repository root (§3.4.4, §3.14.14). */
const SRCROOT = '%SRCROOT%';

type Level = 'error' | 'warning' | 'note';
// result.level (§3.27.10) and reportingConfiguration.level (§3.50.3) have no "info": it is "note".
const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note' };
const RANK: Record<Level, number> = { note: 0, warning: 1, error: 2 };

/** A reportingDescriptor (§3.49) per rule that has results, sorted by id. */
function describeRules(findings: readonly PlacedFinding[]) {
  const byId = new Map<string, Diagnostic[]>();
  for (const { diagnostic } of findings)
    byId.set(diagnostic.ruleId, [...(byId.get(diagnostic.ruleId) ?? []), diagnostic]);
  return [...byId.keys()].sort().map((id) => {
    const rule = findRule(id);
    const seen = byId.get(id)!;
    if (rule) {
      // The rule's page (docs/rules/<id>.md): what GitHub code scanning and Azure DevOps Advanced
      // Security show beside an alert (§3.49.12 fullDescription, §3.49.13 help).
      const page = RULE_HELP[id];
      return {
        id,
        shortDescription: { text: rule.description },
        fullDescription: { text: page?.fullDescription ?? rule.description },
        help: {
          text: `${page?.fullDescription ?? rule.description} See ${helpUri(id)}`,
          ...(page ? { markdown: `${page.markdown}\n\n[${id}](${helpUri(id)})` } : {}),
        },
        helpUri: helpUri(id),
        defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
        properties: { tags: [rule.source] },
      };
    }
    // Not in the registry (a user policy): still described, so every result has a rule to point at;
    // its default level is the most severe one it was reported with.
    const level = seen.map((d) => LEVEL[d.severity]).reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
    const help = seen.find((d) => d.helpUri)?.helpUri;
    return {
      id,
      shortDescription: { text: `${id} (not a built-in fluxgate rule)` },
      ...(help ? { helpUri: help } : {}),
      defaultConfiguration: { level },
      properties: { tags: [seen[0]!.source] },
    };
  });
}

/** §3.30: 1-based line/column, endColumn one past the last character (as fluxgate's own ranges). */
function region(d: Diagnostic) {
  if (d.line < 1) return undefined;
  const endLine = d.endLine !== undefined && d.endLine >= d.line ? d.endLine : undefined;
  const lastLine = endLine ?? d.line;
  const column = d.column >= 1 ? d.column : undefined;
  const endColumn =
    column !== undefined && d.endColumn !== undefined && (lastLine > d.line || d.endColumn >= column)
      ? d.endColumn
      : undefined;
  return {
    startLine: d.line,
    ...(column !== undefined ? { startColumn: column } : {}),
    ...(endLine !== undefined ? { endLine } : {}),
    ...(endColumn !== undefined ? { endColumn } : {}),
  };
}

/** A relative reference (RFC 3986): each path segment percent-encoded, so spaces, `#`, `%` and `:` survive. */
function relativeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function rootUri(root: string): string {
  // originalUriBaseIds URIs SHALL end with a slash (§3.14.14).
  return pathToFileURL(root.endsWith(path.sep) ? root : `${root}${path.sep}`).href;
}

/**
 * `--format sarif`: one SARIF 2.1.0 log with one run. A finding identical in several clusters is one
 * result listing them (in its message and `properties.clusters`).
 */
export const formatSarif: Formatter = (diagnostics, context) => {
  const findings = groupByPlace(diagnostics);
  const rules = describeRules(findings);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const fingerprints = partialFingerprints(findings.map((f) => f.diagnostic));
  const results = findings.map((finding, i) => {
    const d = finding.diagnostic;
    const where = region(d);
    return {
      ruleId: d.ruleId,
      ruleIndex: ruleIndex.get(d.ruleId)!,
      level: LEVEL[d.severity],
      message: { text: messageWithClusters(finding) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: relativeUri(d.file), uriBaseId: SRCROOT },
            ...(where ? { region: where } : {}),
          },
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprints[i]! },
      properties: {
        source: d.source,
        ...(finding.clusters.length > 0 ? { clusters: finding.clusters } : {}),
        ...(d.resource ? { resource: d.resource } : {}),
        ...(d.path !== undefined ? { path: d.path } : {}),
      },
    };
  });
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'fluxgate', version: context.version, informationUri: INFORMATION_URI, rules },
        },
        // §3.17: which analysis this run is; GitHub code scanning takes its category from the id
        // up to the last "/" (a run of another tool or config keeps its own alerts).
        automationDetails: { id: AUTOMATION_ID },
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri(context.root) } },
        // yaml's LineCounter counts JavaScript string indices: UTF-16 code units (§3.14.27).
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
