import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostic.js';
import { findRule } from '../../src/rules/registry.js';
import { validate } from '../../src/validate.js';
import { runCli } from '../helpers/run-cli.js';
import { pinnedTool } from '../helpers/tools.js';

const run = promisify(execFile);
const FLEET = path.resolve(import.meta.dirname, '../../examples/aks-fleet');

/** A conftest policy directory as teams write them today: Rego v1, several rule shapes, a helper package. */
const V1 = {
  'main.rego': `package main

import data.lib.k8s
import rego.v1

deny contains msg if {
  input.kind == "Deployment"
  not input.metadata.labels.team
  msg := sprintf("Deployment %s has no team label", [input.metadata.name])
}

deny_no_cpu_limit contains msg if {
  some c in k8s.containers
  not c.resources.limits.cpu
  msg := sprintf("container %s has no cpu limit", [c.name])
}

warn contains msg if {
  input.kind == "Namespace"
  msg := sprintf("namespace %s: remember its ResourceQuota", [input.metadata.name])
}

violation contains {"msg": msg, "details": {"kind": input.kind}} if {
  input.kind in {"Alert", "Provider"}
  msg := sprintf("%s %s: notifications are reviewed by the platform team", [input.kind, input.metadata.name])
}

warn_interval contains msg if {
  input.spec.interval in {"1m0s", "1h", "12h"}
  msg := sprintf("%s %s reconciles every minute", [input.kind, input.metadata.name])
}

# conftest exceptions: by rule name without its prefix; "" for the plain rules.
exception contains ["interval"] if input.kind == "HelmRepository"

exception contains [""] if input.metadata.name == "sandbox"
`,
  'lib/k8s.rego': `package lib.k8s

import rego.v1

containers contains c if some c in input.spec.template.spec.containers
`,
  'main_test.rego': `package main

import rego.v1

test_deny_without_team if {
  deny["Deployment web has no team label"] with input as {"kind": "Deployment", "metadata": {"name": "web"}}
}
`,
};

/** The same team's older policies, still Rego v0. */
const V0 = {
  'services.rego': `package main

deny[msg] {
  input.kind == "Service"
  input.spec.type != "LoadBalancer"
  msg := sprintf("Service %s is of type %s", [input.metadata.name, input.spec.type])
}

warn[msg] {
  input.kind == "HelmRelease"
  msg := sprintf("HelmRelease %s installs %s", [input.metadata.name, input.spec.chart.spec.chart])
}
`,
};

function writeDir(dir: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

type Verdict = string;

/** `cluster | Kind namespace/name | failure|warning | message`, sorted: comparable across both tools. */
function fluxgateVerdicts(diagnostics: readonly Diagnostic[]): Verdict[] {
  return diagnostics
    .filter((d) => d.source === 'policy' && !findRule(d.ruleId))
    .map(
      (d) =>
        // fluxgate names the HelmRelease and template behind an object a chart rendered; conftest cannot.
        `${d.cluster} | ${d.resource?.kind} ${d.resource?.namespace ?? ''}/${d.resource?.name} | ${d.severity === 'error' ? 'failure' : 'warning'} | ${d.message.replace(/ \[rendered by HelmRelease [^\]]*\]$/, '')}`,
    )
    .sort();
}

interface ConftestResult {
  filename: string;
  failures?: { msg: string }[];
  warnings?: { msg: string }[];
}

describe('user policies give the same verdicts as conftest', () => {
  let work: string;
  let root: string;
  let v1: string;
  let v0: string;

  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-parity-'));
    root = path.join(work, 'fleet');
    cpSync(FLEET, root, { recursive: true });
    mkdirSync(path.join(root, '.git'));
    v1 = path.join(work, 'policy-v1');
    v0 = path.join(root, 'policy-v0');
    writeDir(v1, V1);
    writeDir(v0, V0);
    appendFileSync(
      path.join(root, '.fluxgate.yaml'),
      'policies:\n  - path: policy-v0\n    regoVersion: v0\n',
    );
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('on every rendered object of the example fleet (Rego v1 by --policy, v0 by config)', async () => {
    const cli = await runCli(['validate', '--policy', v1, '--format', 'json', '--fail-level', 'info'], {
      cwd: root,
    });
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(1);
    const ours = fluxgateVerdicts(JSON.parse(cli.stdout).diagnostics);

    // conftest on the very objects fluxgate checked: one JSON file per rendered object.
    const result = await validate({ cwd: root, render: { env: process.env } });
    const inputs = path.join(work, 'rendered');
    const owner = new Map<string, string>();
    for (const cluster of result.render.clusters)
      cluster.resources.forEach((r, i) => {
        const file = path.join(inputs, cluster.name, `${i}.json`);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, JSON.stringify(r.value));
        owner.set(file, `${cluster.name} | ${r.id.kind} ${r.id.namespace ?? ''}/${r.id.name}`);
      });
    const conftest = pinnedTool('conftest');
    const theirs: Verdict[] = [];
    for (const [dir, version] of [
      [v1, 'v1'],
      [v0, 'v0'],
    ] as const) {
      const { stdout } = await run(
        conftest,
        ['test', '--no-color', '-o', 'json', '--rego-version', version, '-p', dir, ...owner.keys()],
        { maxBuffer: 64 * 1024 * 1024 },
      ).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
      for (const r of JSON.parse(stdout) as ConftestResult[]) {
        const who = owner.get(path.resolve(r.filename));
        for (const f of r.failures ?? []) theirs.push(`${who} | failure | ${f.msg}`);
        for (const w of r.warnings ?? []) theirs.push(`${who} | warning | ${w.msg}`);
      }
    }
    theirs.sort();
    // Enough of each shape to mean something: deny, deny_<name>, warn, warn_<name>, violation, v0.
    expect(ours.length).toBeGreaterThan(20);
    for (const shape of [
      'has no team label',
      'reconciles every minute',
      'reviewed by the platform team',
      'is of type',
    ])
      expect(ours.some((v) => v.includes(shape))).toBe(true);
    expect(ours).toEqual(theirs);
  });

  it('names rules policy/<package>-<rule> and keeps conftest severities', async () => {
    const cli = await runCli(['validate', '--policy', v1, '--format', 'json', '--fail-level', 'info'], {
      cwd: root,
    });
    const ids = new Set(
      (JSON.parse(cli.stdout).diagnostics as Diagnostic[])
        .filter((d) => d.source === 'policy')
        .map((d) => `${d.ruleId} ${d.severity}`),
    );
    expect([...ids].sort()).toEqual(
      [
        'policy/main-deny error',
        'policy/main-deny-no-cpu-limit error',
        'policy/main-violation error',
        'policy/main-warn warning',
        'policy/main-warn-interval warning',
      ].sort(),
    );
  });
});
