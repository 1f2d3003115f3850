// Every secret value fluxgate learns stays inside: a distinct canary goes through each way a value
// reached an output before (a number, a List item with a repeated key, a generator literal, an env
// file that is not UTF-8, values substituted from a Secret, long, quoted or multi-line, a
// mis-indented line, a kubeconfig that is not YAML, an API server message), and none may appear in
// any of the seven formats, `build`, `--debug`, the daemon's answers and log, or the dry run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '../helpers/apiserver.js';
import { runCli } from '../helpers/run-cli.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/fluxgate.js');
const FORMATS = ['text', 'compact', 'json', 'sarif', 'junit', 'github', 'azure'];

const LONG = `C6long-${'x'.repeat(30)}${'y'.repeat(40)}`;
const KEY = 'C8clientkey-9d9d-private';
const CANARY = {
  number: 918273645501928,
  listFirst: 'C2listdup-first-7f3a',
  listSecond: 'C2listdup-second-77aa',
  literal: 'C3literal-noequals-5d2c',
  envBad: 'C4envline-9b1e',
  envGood: 'C4envgood-3c3c',
  plain: 'C5subst-plain-1a2b',
  long: LONG,
  quote: 'C6q"uote-8e8e',
  newline: 'C6nl-first-1111\nC6nl-second-2222',
  apiKey: 'C9 key with spaces 4b4b',
  misFirst: 'C7first-6a6a',
  misNext: 'C7continued-4f4f',
  token: 'C8token-0a0a0a0a0a0a',
  clientKey: KEY,
};

/** What must never appear: each canary, its parts, and the encodings it was seen in. */
const NEEDLES = [
  String(CANARY.number),
  'C2listdup',
  'C3literal',
  'C4envline',
  'C4envgood',
  // "C4envl" as Go prints a []byte.
  [...Buffer.from('C4envl')].join(' '),
  'C5subst',
  'C6long-',
  'uote-8e8e',
  'C6nl-first',
  'C6nl-second',
  'C7first',
  'C7continued',
  'C8token',
  'C8clientkey',
  // Its first characters, as a YAML parser's excerpt shows them (cut at its width).
  Buffer.from(KEY).toString('base64').slice(0, 8),
  'C9 key',
];

function leaks(text: string): string[] {
  return NEEDLES.filter((n) => text.includes(n));
}

const yamlString = (s: string) => JSON.stringify(s);

function files(): Record<string, string | Buffer> {
  return {
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.fluxgate.yaml': `sources:\n  GitRepository/flux-system/flux-system: .\nclusters:\n  test:\n    context: admin\n`,
    'clusters/test/flux.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://example.com/repo.git
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: sub
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./apps/sub
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substituteFrom:
      - kind: Secret
        name: vars
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: gen
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./apps/gen
  sourceRef:
    kind: GitRepository
    name: flux-system
`,
    'clusters/test/vars.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: vars
  namespace: flux-system
stringData:
  PLAIN: ${CANARY.plain}
  LONGVAR: ${CANARY.long}
  QUOTEVAR: ${yamlString(CANARY.quote)}
  NLVAR: ${yamlString(CANARY.newline)}
  KEYVAR: ${CANARY.apiKey}
`,
    'clusters/test/numeric.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: numeric
  namespace: default
stringData:
  pin: ${CANARY.number}
`,
    'apps/gen/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
secretGenerator:
  - name: lit
    namespace: default
    literals:
      - ${CANARY.literal}
`,
    'apps/env/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
secretGenerator:
  - name: envgen
    namespace: default
    envs:
      - secret.env
`,
    'apps/env/secret.env': Buffer.concat([
      Buffer.from(`GOOD=${CANARY.envGood}\nBAD=${CANARY.envBad}`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('-tail\n'),
    ]),
    'apps/sub/kustomization.yaml': 'resources: [cm.yaml, deploy.yaml]\n',
    'apps/sub/cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: subst
  namespace: default
data:
  plain: \${PLAIN}
  quote: \${QUOTEVAR}
  nl: \${NLVAR}
  \${KEYVAR}: refused by the API server
`,
    'apps/sub/deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: default
spec:
  replicas: \${LONGVAR}
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a}}
    spec:
      containers:
        - name: c
          image: nginx:1.27
          ports:
            - containerPort: \${QUOTEVAR}
            - containerPort: \${NLVAR}
`,
    'loose/list.yaml': `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Secret
    metadata:
      name: listed
      namespace: default
    stringData:
      token: ${CANARY.listFirst}
      token: ${CANARY.listSecond}
`,
    'loose/misindent.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: mis
  namespace: default
stringData:
  password: ${CANARY.misFirst}
 ${CANARY.misNext}
`,
  };
}

/** A kubeconfig whose YAML breaks after its credentials. */
const brokenKubeconfig = `apiVersion: v1
kind: Config
clusters:
  - name: c
    cluster:
      server: https://127.0.0.1:1
users:
  - name: u
    user:
      token: ${CANARY.token}
      client-key-data: ${Buffer.from(CANARY.clientKey).toString('base64')}
    broken: [unclosed
contexts:
  - name: admin
    context: {cluster: c, user: u}
`;

describe('secret values never leave fluxgate', () => {
  let root: string;
  let work: string;
  let cache: string;
  let server: TestApiServer;
  const env = () => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: '1',
    FLUXGATE_CACHE_DIR: cache,
  });
  const bin = (args: string[], extra: Record<string, string> = {}) => {
    const run = spawnSync(process.execPath, [BIN, ...args], {
      cwd: root,
      env: { ...env(), ...extra },
      encoding: 'utf8',
      timeout: 300_000,
    });
    return { code: run.status, out: `${run.stdout}${run.stderr}` };
  };

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-canaries-'));
    root = path.join(work, 'repo');
    cache = path.join(work, 'cache');
    for (const [file, text] of Object.entries(files())) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    writeFileSync(path.join(work, 'broken-kubeconfig'), brokenKubeconfig);
    server = await startTestApiServer();
  });

  afterAll(async () => {
    bin(['daemon', 'stop']);
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it.each(FORMATS)('validate --format %s --debug (in-process)', async (format) => {
    const run = await runCli(['validate', '--format', format, '--debug'], {
      cwd: root,
      env: { ...process.env, FLUXGATE_CACHE_DIR: cache, FLUXGATE_DAEMON: '0' },
    });
    expect(run.code).toBe(1);
    // Each way in is exercised: the findings that quoted a value are still reported.
    expect(run.stdout).toMatch(/literal source/);
    expect(run.stdout).toMatch(/invalid utf8/);
    expect(run.stdout).toMatch(/expected integer, found string/);
    expect(run.stdout).toMatch(/expected string, found integer/);
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
  });

  it('build --cluster and build PATH, with --debug', async () => {
    const cluster = await runCli(['build', '--cluster', 'test', '--debug'], { cwd: root });
    expect(cluster.stdout).toContain('kind: ConfigMap');
    expect(cluster.stdout).toContain('<redacted>');
    expect(leaks(cluster.stdout + cluster.stderr)).toEqual([]);
    for (const dir of ['apps/gen', 'apps/env', 'apps/sub']) {
      const one = await runCli(['build', dir, '--debug'], { cwd: root });
      expect(leaks(one.stdout + one.stderr), dir).toEqual([]);
    }
  });

  it("the daemon's answers, in every format, and its log", () => {
    const started = bin(['daemon', 'start', '--idle-timeout', '5']);
    expect(started.out).toMatch(/daemon started/);
    for (const format of FORMATS) {
      const run = bin(['validate', '--format', format, '--debug']);
      expect(run.code).toBe(1);
      expect(leaks(run.out), format).toEqual([]);
    }
    expect(bin(['daemon', 'status']).out).toMatch(/[1-9]\d* runs answered/);
    bin(['daemon', 'stop']);
    expect(leaks(readFileSync(path.join(cache, 'daemon.log'), 'utf8'))).toEqual([]);
  });

  it('the dry run: API server messages and kubeconfig credentials', async () => {
    const dry = await runCli(
      ['validate', '--format', 'json', '--debug', '--server-dry-run', '--kubeconfig', server.kubeconfig],
      { cwd: root, env: { ...process.env, FLUXGATE_CACHE_DIR: cache } },
    );
    const found = (JSON.parse(dry.stdout) as { diagnostics: { ruleId: string; message: string }[] })
      .diagnostics;
    // The API server refused the key substituted from the Secret, and said so quoting it.
    expect(found.some((d) => d.ruleId === 'dry-run/rejected' && d.message.includes('<redacted>'))).toBe(true);
    expect(leaks(dry.stdout + dry.stderr)).toEqual([]);
    for (const format of FORMATS) {
      const run = await runCli(
        ['validate', '--format', format, '--server-dry-run', '--kubeconfig', server.kubeconfig],
        { cwd: root, env: { ...process.env, FLUXGATE_CACHE_DIR: cache } },
      );
      expect(leaks(run.stdout + run.stderr), format).toEqual([]);
    }
    const broken = await runCli(
      ['validate', '--debug', '--server-dry-run', '--kubeconfig', path.join(work, 'broken-kubeconfig')],
      { cwd: root, env: { ...process.env, FLUXGATE_CACHE_DIR: cache } },
    );
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/cannot read kubeconfig .* at line 13/);
    expect(leaks(broken.stdout + broken.stderr)).toEqual([]);
  });
});
