import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToolError } from '../../src/core/errors.js';
import { compilePolicyDir } from '../../src/policy/compile.js';
import { PolicyModule } from '../../src/policy/policy-module.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { pinnedTool } from '../helpers/tools.js';

const conftestV1 = `package main

import rego.v1

# METADATA
# title: Images are pinned
# custom:
#   severity: warning
deny_latest contains msg if {
  some c in input.spec.template.spec.containers
  endswith(c.image, ":latest")
  msg := sprintf("container %s uses :latest", [c.name])
}

warn contains {"msg": "no replicas", "path": "/spec"} if {
  not input.spec.replicas
}

exception contains rules if {
  input.metadata.labels.legacy == "true"
  rules := ["latest"]
}
`;

const conftestV0 = `package k8s.rules

deny[msg] {
  input.kind == "Service"
  input.spec.type == "NodePort"
  msg := "no NodePort services"
}
`;

const deployment = (labels: Record<string, string> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels },
  spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:latest' }] } } },
});

describe('compiling and evaluating conftest policies', () => {
  const opaBin = pinnedTool('opa');

  it('runs deny/warn/exception rules of a Rego v1 policy unchanged', async () => {
    const dir = tempRepo({ 'main.rego': conftestV1, 'main_test.rego': 'package main\n' });
    const compiled = await compilePolicyDir(dir, { opaBin });
    expect(compiled.entrypoints).toEqual(['main']);
    expect(compiled.annotations).toContainEqual(
      expect.objectContaining({
        pkg: 'main',
        rule: 'deny_latest',
        title: 'Images are pinned',
        custom: { severity: 'warning' },
      }),
    );
    const module = await PolicyModule.load(compiled);
    expect(module.evaluate(deployment())).toEqual([
      expect.objectContaining({ rule: 'deny_latest', kind: 'deny', message: 'container app uses :latest' }),
      expect.objectContaining({ rule: 'warn', kind: 'warn', message: 'no replicas', path: '/spec' }),
    ]);
    // The exception drops deny_latest for this input only.
    expect(module.evaluate(deployment({ legacy: 'true' })).map((r) => r.rule)).toEqual(['warn']);
  });

  it('compiles Rego v0 with regoVersion v0', async () => {
    const dir = tempRepo({ 'svc.rego': conftestV0 });
    const module = await PolicyModule.load(await compilePolicyDir(dir, { opaBin, regoVersion: 'v0' }));
    expect(module.evaluate({ kind: 'Service', spec: { type: 'NodePort' } })).toEqual([
      expect.objectContaining({ pkg: 'k8s/rules', rule: 'deny', message: 'no NodePort services' }),
    ]);
  });

  it("a policy that does not compile is a ToolError with opa's file and line", async () => {
    const dir = tempRepo({ 'bad.rego': 'package main\n\ndeny contains msg if {\n  msg := \n}\n' });
    const error = await compilePolicyDir(dir, { opaBin }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toMatch(/bad\.rego:\d+/);
  });

  it('a built-in that the wasm host lacks is found at compile time, by name', async () => {
    const dir = tempRepo({
      'net.rego':
        'package main\n\nimport rego.v1\n\ndeny contains "x" if { http.send({"method": "get", "url": input.u}) }\n',
    });
    const error = await compilePolicyDir(dir, { opaBin }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toMatch(/http\.send/);
  });

  it('caches the compiled module by content', async () => {
    const dir = tempRepo({ 'main.rego': conftestV1 });
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-policy-cache-'));
    const first = await compilePolicyDir(dir, { opaBin, cacheDir });
    // A missing opa binary proves the second call never runs it... except for `opa version`,
    // which is part of the key; so compare timings instead of breaking the binary.
    const started = performance.now();
    const second = await compilePolicyDir(dir, { opaBin, cacheDir });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(Buffer.from(second.wasm).equals(Buffer.from(first.wasm))).toBe(true);
  });
});
