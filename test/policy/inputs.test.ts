import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { clusterEnvironment } from '../../src/policy/environments.js';
import { clusterInput, dataJson } from '../../src/policy/inputs.js';
import { repoInput } from '../../src/policy/repo-input.js';
import { isSopsEncrypted } from '../../src/policy/resource-context.js';
import { collectSubjects, type SubjectGroup } from '../../src/policy/subjects.js';
import { type ValidateResult, validate } from '../../src/validate.js';
import { tempRepo } from '../helpers/temp-repo.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const schema = (file: string) => JSON.parse(readFileSync(path.join(ROOT, 'policies/schemas', file), 'utf8'));
const decode = (buffer: ArrayBuffer) =>
  JSON.parse(new TextDecoder().decode(buffer)) as Record<string, unknown>;

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema(schema('data/fluxgate-data.schema.json'));
const validData = ajv.getSchema('https://fluxgate.dev/schemas/policy/fluxgate-data.schema.json')!;
const validCluster = ajv.compile(schema('cluster/cluster-input.schema.json'));
const validRepo = ajv.compile(schema('repo-input.schema.json'));

describe.each(['aks-fleet', 'aks-fleet-broken'])('policy inputs of examples/%s', (example) => {
  let result: ValidateResult;
  let groups: SubjectGroup[];

  beforeAll(async () => {
    result = await validate({ cwd: ROOT, paths: [`examples/${example}`], render: { env: process.env } });
    groups = collectSubjects({
      root: result.root,
      config: result.config,
      render: result.render,
      loaded: result.files,
    });
  });

  it('data.fluxgate of every object matches its schema', () => {
    const config = JSON.stringify(result.config);
    let checked = 0;
    for (const group of groups)
      for (const subject of group.subjects) {
        const data = decode(dataJson(config, group, subject)).fluxgate;
        expect(validData(data), JSON.stringify(validData.errors)).toBe(true);
        checked++;
      }
    expect(checked).toBeGreaterThan(20);
  });

  it('the cluster-scope input matches its schema and is ordered by file and document', () => {
    for (const group of groups) {
      const input = decode(clusterInput(group).json) as {
        resources: { resource: { file: string; document: number } }[];
      };
      expect(validCluster(input), JSON.stringify(validCluster.errors)).toBe(true);
      const keys = input.resources.map(
        (r) => `${r.resource.file}\0${String(r.resource.document).padStart(4, '0')}`,
      );
      expect(keys).toEqual([...keys].sort());
    }
  });

  it('a set whose cluster rules declare kinds gets only those objects, indices into that list', () => {
    const kinds = new Set(['HelmRelease', 'HelmRepository']);
    for (const group of groups) {
      const { json, order } = clusterInput(group, kinds);
      const input = decode(json) as { resources: { object: { kind: string } }[] };
      const expected = group.subjects.filter((s) => kinds.has(s.id.kind)).length;
      expect(input.resources).toHaveLength(expected);
      input.resources.forEach((r, i) => {
        expect(kinds.has(r.object.kind)).toBe(true);
        expect(r.object).toEqual(order[i]!.value);
      });
    }
    expect(groups.some((g) => g.subjects.some((s) => s.id.kind === 'HelmRelease'))).toBe(true);
  });

  it('with a focus, only the groups holding a changed build', () => {
    const devBuild = result.render.clusters.find((c) => c.name === 'dev-aks')!.targets.at(-1)!;
    const focused = collectSubjects({
      root: result.root,
      config: result.config,
      render: result.render,
      loaded: result.files,
      focus: { files: new Set(), targets: new Set([devBuild]) },
    });
    const holding = result.render.clusters.filter((c) => c.targets.includes(devBuild)).map((c) => c.name);
    expect(focused.map((g) => g.cluster?.name)).toEqual(holding);
    expect(holding).toContain('dev-aks');
    expect(holding.length).toBeLessThan(groups.length);
  });

  it('the repo-scope input matches its schema', () => {
    const input = repoInput(result.root, result.config, result.render);
    expect(validRepo(input), JSON.stringify(validRepo.errors)).toBe(true);
    const dev = input.clusters.find((c) => c.name === 'dev-aks')!;
    expect(dev).toMatchObject({ root: 'clusters/dev-aks', environment: 'development' });
    expect(dev.kustomizations).toContainEqual(
      expect.objectContaining({
        name: 'flux-system',
        file: 'clusters/dev-aks/flux-system/gotk-sync.yaml',
        document: 1,
        directory: 'clusters/dev-aks',
      }),
    );
    expect(input.directories.map((d) => d.path)).toContain('apps/base/podinfo');
  });
});

describe('environment of a cluster (as policies/lib/environments.rego resolves it)', () => {
  const config = {
    ...defaultConfig(),
    environments: { production: ['prd'], qa: ['test'] },
    clusters: { 'aks-weu-1': { environment: 'PRD' }, lab: { environment: 'sandbox' } },
  };
  it.each([
    ['prod-aks', 'production'],
    ['aks_dev_1', 'development'],
    ['stage.eu', 'staging'],
    ['aks-weu-1', 'production'],
    ['lab', 'sandbox'],
    ['test-cluster', 'qa'],
    ['dev-prod-bridge', null],
    ['devtools', null],
  ])('%s → %s', (name, environment) => {
    expect(clusterEnvironment(config, name)).toBe(environment);
  });
});

describe('the resource context', () => {
  it('marks Secrets generated from SOPS-encrypted files only', async () => {
    const root = tempRepo({
      'kustomization.yaml': `secretGenerator:
  - name: token
    envs: [token.enc.env]
  - name: token-plain
    envs: [token.env]
  - name: mixed
    envs: [token.enc.env]
    literals: [a=b]
`,
      'token.enc.env': 'token=ENC[AES256_GCM,data:abc=,iv:d=,tag:e=,type:str]\nsops_version=3.9.0\n',
      'token.env': 'token=hunter2\n',
    });
    const result = await validate({ cwd: root, render: { env: process.env } });
    const groups = collectSubjects({
      root,
      config: result.config,
      render: result.render,
      loaded: result.files,
    });
    const flags = Object.fromEntries(
      groups.flatMap((g) =>
        g.subjects.map((s) => [s.id.name.replace(/-[a-z0-9]{10}$/, ''), s.context.generatedFromEncrypted]),
      ),
    );
    expect(flags).toEqual({ token: true, 'token-plain': false, mixed: false });
  });

  it('keeps the committed text of strings Flux substituted', async () => {
    const root = tempRepo({
      'clusters/prod/flux.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      env_name: prod
`,
      'apps/kustomization.yaml': 'resources: [cm.yaml]\n',
      'apps/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  url: https://\${env_name}.example.com\n`,
    });
    const result = await validate({ cwd: root, render: { env: process.env } });
    const groups = collectSubjects({
      root,
      config: result.config,
      render: result.render,
      loaded: result.files,
    });
    const cm = groups.flatMap((g) => g.subjects).find((s) => s.id.kind === 'ConfigMap')!;
    expect(cm.value.data).toEqual({ url: 'https://prod.example.com' });
    expect(cm.context.preSubstitution).toEqual({ '/data/url': `https://\${env_name}.example.com` });
  });
});

describe('SOPS-encrypted files (secretGenerator sources)', () => {
  it.each([
    ['yaml', 'password: ENC[AES256_GCM,data:abc,type:str]\nsops:\n    mac: ENC[AES256_GCM,data:x]\n', true],
    ['json', '{"data": "ENC[AES256_GCM,data:abc]", "sops": {"mac": "x"}}', true],
    [
      'dotenv',
      'PASSWORD=ENC[AES256_GCM,data:abc]\nsops_version=3.9.0\nsops_mac=ENC[AES256_GCM,data:x]\n',
      true,
    ],
    ['plain', 'PASSWORD=hunter2\n', false],
    ['mentions sops', '# encrypt this with sops:\nPASSWORD=hunter2\n', false],
  ])('%s', (_name, text, encrypted) => {
    expect(isSopsEncrypted(text)).toBe(encrypted);
  });
});
