// Cluster roots are the ones Flux itself uses (issue 13): flux bootstrap's sync, a FluxInstance's
// sync (as an object, or the flux-instance chart's values), CI pushing the repository as the OCI
// artifact a cluster syncs, Kustomizations applied by hand that read this repository; never
// directories guessed from names. Each case is a small repository of its own, in real git.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitRepo } from '../helpers/git-repo.js';
import { runCli } from '../helpers/run-cli.js';

interface Coverage {
  clusters: {
    name: string;
    root: string;
    from?: string;
    fluxVersion?: { version: string; from: string };
    kustomizations: Record<string, number>;
    helmReleases: { total: number };
    notRendered: { namespace: string; name: string; reason: string }[];
  }[];
}
interface Out {
  diagnostics: {
    ruleId: string;
    severity: string;
    file: string;
    line: number;
    message: string;
    cluster?: string;
  }[];
  summary: { coverage: Coverage; clusters: number };
}

async function validate(root: string, ...args: string[]): Promise<Out & { text: string }> {
  const run = await runCli(['validate', '-f', 'json', '--no-cache', ...args], {
    cwd: root,
    env: process.env,
  });
  expect(run.code, run.stderr).toBeLessThan(2);
  const text = await runCli(['validate', '--no-cache', ...args], { cwd: root, env: process.env });
  return { ...(JSON.parse(run.stdout) as Out), text: text.stdout };
}

const ks = (
  name: string,
  path: string,
  source = 'flux-system',
  kind = 'GitRepository',
) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ${path}
  prune: true
  sourceRef:
    kind: ${kind}
    name: ${source}
`;
const gitRepository = (name: string, url: string, extra = '') => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 1m
  url: ${url}
  ref:
    branch: main
${extra}`;
const cm = (name: string, namespace = 'default') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n  a: b\n`;

describe('cluster roots Flux uses', () => {
  it('flux bootstrap outside clusters/: the sync Kustomization deploying its own directory is the root', async () => {
    const root = gitRepo({
      'kubernetes/clusters/prod/flux-system/gotk-sync.yaml': `${gitRepository('flux-system', 'ssh://git@github.com/acme/fleet')}---\n${ks('flux-system', './kubernetes/clusters/prod')}`,
      'kubernetes/clusters/prod/flux-system/kustomization.yaml': 'resources: [gotk-sync.yaml]\n',
      'kubernetes/clusters/prod/apps.yaml': ks('apps', './kubernetes/apps'),
      'kubernetes/apps/kustomization.yaml': 'resources: [cm.yaml]\n',
      'kubernetes/apps/cm.yaml': cm('app'),
    });
    const out = await validate(root);
    expect(out.summary.coverage.clusters).toMatchObject([
      {
        name: 'prod',
        root: 'kubernetes/clusters/prod',
        from: 'bootstrap',
        kustomizations: { total: 2, rendered: 2 },
      },
    ]);
    expect(out.diagnostics.filter((d) => d.ruleId === 'render/unreached-root')).toEqual([]);
    expect(out.text).toContain('cluster prod: 2/2 Flux Kustomizations rendered');
  });

  it('a ks.yaml whose path holds its own file, applied by a cluster, is not a root of its own', async () => {
    const root = gitRepo({
      'k8s/nas/flux/flux-system/gotk-sync.yaml': `${gitRepository('flux-system', 'https://github.com/acme/fleet')}---\n${ks('flux-system', './k8s/nas/flux')}`,
      'k8s/nas/flux/apps.yaml': ks('cert', './k8s/nas/apps/cert'),
      'k8s/nas/apps/cert/ks.yaml': ks('cert', './k8s/nas/apps/cert'),
      'k8s/nas/apps/cert/cm.yaml': cm('cert'),
    });
    const out = await validate(root);
    expect(out.summary.coverage.clusters.map((c) => c.name)).toEqual(['nas']);
  });

  it('a Kustomization deploying the root of another source (path ./) is not a bootstrap root', async () => {
    const root = gitRepo({
      'clusters/staging/flux-system/gotk-sync.yaml': `${gitRepository('flux-system', 'https://github.com/acme/fleet')}---\n${ks('flux-system', './clusters/staging')}`,
      'clusters/staging/infra.yaml': ks('kyverno', './infrastructure/kyverno'),
      'infrastructure/kyverno/kustomization.yaml': 'resources: [sync.yaml]\n',
      'infrastructure/kyverno/sync.yaml': ks('kyverno-controller', './', 'kyverno', 'OCIRepository'),
    });
    const out = await validate(root);
    expect(out.summary.coverage.clusters.map((c) => [c.name, c.from])).toEqual([['staging', 'bootstrap']]);
  });

  it("a FluxInstance's sync (the flux-instance chart's values) is the root; its name comes from the path", async () => {
    const release = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: flux-instance
  namespace: flux-system
spec:
  interval: 1h
  chartRef:
    kind: OCIRepository
    name: flux-instance
  values:
    instance:
      distribution:
        version: 2.8.1
      sync:
        kind: GitRepository
        url: https://github.com/acme/home-ops
        ref: refs/heads/main
        path: kubernetes/main/cluster/config
`;
    const root = gitRepo({
      'kubernetes/main/cluster/config/cluster-apps.yaml': ks('cluster-apps', './kubernetes/main/apps'),
      'kubernetes/main/apps/kustomization.yaml': 'resources: [flux-instance.yaml, cm.yaml]\n',
      'kubernetes/main/apps/flux-instance.yaml': release,
      'kubernetes/main/apps/cm.yaml': cm('app'),
    });
    const out = await validate(root);
    expect(out.summary.coverage.clusters).toMatchObject([
      {
        name: 'main',
        root: 'kubernetes/main/cluster/config',
        from: 'flux-instance',
        fluxVersion: { version: '2.8.1', from: 'kubernetes/main/apps/flux-instance.yaml' },
        kustomizations: { total: 2, rendered: 2 },
        helmReleases: { total: 1 },
      },
    ]);
    // The source the operator creates stands for this repository: one info, no error.
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a FluxInstance syncing an OCI artifact: not rendered (a warning saying how to map it), rendered from the directory CI pushes, or from sources', async () => {
    const instance = `apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
  namespace: flux-system
spec:
  distribution:
    version: "2.x"
  sync:
    kind: OCIRepository
    url: oci://ghcr.io/acme/fleet
    ref: latest
    path: clusters/staging
`;
    const files = {
      'kubernetes/clusters/staging/flux-system/instance.yaml': instance,
      'kubernetes/clusters/staging/apps.yaml': ks('apps', './apps', 'flux-system', 'OCIRepository'),
      'kubernetes/apps/kustomization.yaml': 'resources: [cm.yaml]\n',
      'kubernetes/apps/cm.yaml': cm('app'),
    };
    const external = await validate(gitRepo(files));
    expect(external.summary.coverage.clusters).toMatchObject([
      { name: 'staging', from: 'flux-instance', kustomizations: { total: 1, rendered: 0, external: 1 } },
    ]);
    const warning = external.diagnostics.find((d) => d.ruleId === 'render/cluster-not-rendered');
    expect(warning).toMatchObject({
      severity: 'warning',
      file: 'kubernetes/clusters/staging/flux-system/instance.yaml',
      line: 10,
    });
    expect(warning?.message).toContain('sources: {OCIRepository/flux-system/flux-system: DIR}');
    expect(external.text).toContain(
      'cluster staging: not rendered, source OCIRepository/flux-system/flux-system is external',
    );

    const pushed = await validate(
      gitRepo({
        ...files,
        '.github/workflows/push.yaml': [
          'on: push',
          'jobs:',
          '  push:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: |',
          '          flux push artifact "oci://ghcr.io/acme/fleet:$(git rev-parse --short HEAD)" \\',
          '            --path="./kubernetes" \\',
          '            --source="$(git config --get remote.origin.url)"',
          '',
        ].join('\n'),
      }),
    );
    expect(pushed.summary.coverage.clusters).toMatchObject([
      { name: 'staging', root: 'kubernetes/clusters/staging', kustomizations: { total: 2, rendered: 2 } },
    ]);
    expect(pushed.diagnostics.find((d) => d.ruleId === 'render/source-mapped')?.message).toContain(
      '.github/workflows/push.yaml:7 pushes it',
    );

    const mapped = await validate(
      gitRepo({
        ...files,
        '.fluxgate.yaml': 'sources:\n  OCIRepository/flux-system/flux-system: kubernetes\n',
      }),
    );
    expect(mapped.summary.coverage.clusters).toMatchObject([{ kustomizations: { total: 2, rendered: 2 } }]);
  });

  it('Kustomizations applied by hand (kubectl apply -k) reading this repository are a root; dead ones of a cluster are not', async () => {
    const root = gitRepo({
      'k8s/cluster-0/kustomization.yaml': 'resources: [git.yaml, deploy.yaml]\n',
      'k8s/cluster-0/git.yaml': gitRepository(
        'k8s-gitops',
        'https://github.com/acme/k8s-gitops.git',
        '  ignore: |\n    /*\n    !/k8s\n',
      ),
      'k8s/cluster-0/deploy.yaml': ks('cluster', './k8s/cluster-0/apps', 'k8s-gitops'),
      'k8s/cluster-0/apps/kustomization.yaml': 'resources: [cm.yaml]\n',
      'k8s/cluster-0/apps/cm.yaml': cm('app'),
      // Not included anywhere, reading the GitRepository cluster-0 applies: dead, not a cluster.
      'k8s/cluster-0/old/ks.yaml': ks('old', './k8s/cluster-0/apps', 'k8s-gitops'),
      // A Kustomization reading a GitRepository of another repository is never a root.
      'other/kustomization.yaml': 'resources: [git.yaml, ks.yaml]\n',
      'other/git.yaml': gitRepository('elsewhere', 'https://github.com/someone/else'),
      'other/ks.yaml': ks('elsewhere', './deploy', 'elsewhere'),
    });
    git(root, 'remote', 'add', 'origin', 'git@github.com:acme/k8s-gitops.git');
    const out = await validate(root);
    expect(out.summary.coverage.clusters).toMatchObject([
      {
        name: 'cluster-0',
        root: 'k8s/cluster-0',
        from: 'applied',
        kustomizations: { total: 1, rendered: 1 },
      },
    ]);
  });

  it('each cluster is judged by the Flux it installs: a v1beta2 OCIRepository is fine on Flux 2.4, removed on 2.9', async () => {
    const oci = `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 10m
  url: oci://ghcr.io/stefanprodan/manifests/podinfo
  ref:
    tag: latest
`;
    const components = (version: string) => `# Flux Version: ${version}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: kustomize-controller
  namespace: flux-system
  labels:
    app.kubernetes.io/part-of: flux
    app.kubernetes.io/version: ${version}
spec:
  selector:
    matchLabels:
      app: kustomize-controller
  template:
    metadata:
      labels:
        app: kustomize-controller
    spec:
      containers:
        - name: manager
          image: ghcr.io/fluxcd/kustomize-controller:v1.4.0
`;
    const cluster = (name: string, version: string) => ({
      [`clusters/${name}/flux-system/gotk-components.yaml`]: components(version),
      [`clusters/${name}/flux-system/gotk-sync.yaml`]: `${gitRepository('flux-system', 'https://github.com/acme/fleet')}---\n${ks('flux-system', `./clusters/${name}`)}`,
      [`clusters/${name}/flux-system/kustomization.yaml`]:
        'resources: [gotk-components.yaml, gotk-sync.yaml]\n',
      [`clusters/${name}/podinfo.yaml`]: oci,
    });
    const out = await validate(gitRepo({ ...cluster('old', 'v2.4.0'), ...cluster('new', 'v2.9.4') }));
    expect(out.summary.coverage.clusters.map((c) => [c.name, c.fluxVersion?.version])).toEqual([
      ['new', '2.9.4'],
      ['old', '2.4.0'],
    ]);
    const removed = out.diagnostics.filter((d) => d.ruleId === 'schema/removed-api');
    expect(removed.map((d) => d.file)).toEqual(['clusters/new/podinfo.yaml']);
    expect(removed[0]?.message).toContain('source.toolkit.fluxcd.io/v1');
    // Told otherwise in the config, the cluster is judged by that release.
    const told = await validate(
      gitRepo({
        ...cluster('old', 'v2.4.0'),
        '.fluxgate.yaml': 'clusters:\n  old:\n    fluxVersion: "2.9"\n',
      }),
    );
    expect(told.diagnostics.filter((d) => d.ruleId === 'schema/removed-api')).toHaveLength(1);
  });
});

describe('what the sync and its sources really hold', () => {
  const sops = `apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: default
stringData:
  token: ENC[AES256_GCM,data:eA==,iv:aXY=,tag:dGFn,type:str]
sops:
  mac: ENC[AES256_GCM,data:eA==,iv:aXY=,tag:dGFn,type:str]
  version: 3.9.4
`;
  const instance = (extra: string) => `apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
  namespace: flux-system
spec:
  distribution:
    version: "2.x"
  sync:
    kind: GitRepository
    url: https://github.com/acme/fleet
    ref: refs/heads/main
    path: clusters/prod
${extra}`;

  it("a FluxInstance's kustomize.patches on the sync Kustomization apply to the root (decryption)", async () => {
    const files = {
      'clusters/prod/secret.yaml': sops,
      'clusters/prod/flux-system/instance.yaml': '',
    };
    const patched = instance(`  kustomize:
    patches:
      - target:
          kind: Kustomization
          name: flux-system
        patch: |
          - op: add
            path: /spec/decryption
            value:
              provider: sops
`);
    const without = await validate(
      gitRepo({ ...files, 'clusters/prod/flux-system/instance.yaml': instance('') }),
    );
    expect(without.diagnostics.map((d) => d.ruleId)).toContain('render/sops-without-decryption');
    const withPatch = await validate(
      gitRepo({ ...files, 'clusters/prod/flux-system/instance.yaml': patched }),
    );
    expect(withPatch.diagnostics.map((d) => d.ruleId)).not.toContain('render/sops-without-decryption');
  });

  it('what flux push artifact --ignore-paths leaves out is not in the artifact', async () => {
    const files = {
      'k8s/clusters/c/flux-system/instance.yaml': `apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
  namespace: flux-system
spec:
  distribution: { version: 2.x, registry: ghcr.io/fluxcd }
  sync:
    kind: OCIRepository
    url: oci://ghcr.io/acme/fleet
    ref: latest
    path: clusters/c
`,
      'k8s/clusters/c/bad.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\n  namespace: default\ndata:\n  n: 1\n',
      '.github/workflows/push.yaml': `on: push
jobs:
  push:
    runs-on: ubuntu-latest
    steps:
      - run: flux push artifact oci://ghcr.io/acme/fleet:latest --path=./k8s --ignore-paths="clusters/c/bad.yaml,*.md" --source=x --revision=y
`,
    };
    const out = await validate(gitRepo(files));
    expect(out.summary.coverage.clusters).toMatchObject([{ name: 'c', kustomizations: { rendered: 1 } }]);
    // Rendered, bad.yaml's integer would be a schema/invalid error; pushed without it, it is not.
    expect(out.diagnostics.filter((d) => d.ruleId === 'schema/invalid' && d.cluster === 'c')).toEqual([]);
  });

  it('the same repository on another branch is another tree: external, not a failed build', async () => {
    const root = gitRepo({
      'clusters/prod/flux-system/gotk-sync.yaml': `${gitRepository('flux-system', 'https://github.com/acme/fleet')}---\n${ks('flux-system', './clusters/prod')}`,
      'clusters/prod/tenant.yaml': `${gitRepository('team', 'https://github.com/acme/fleet.git').replace('branch: main', 'branch: team')}---\n${ks('team', './only-on-the-team-branch', 'team')}`,
    });
    const out = await validate(root);
    expect(out.summary.coverage.clusters).toMatchObject([
      { name: 'prod', kustomizations: { total: 2, rendered: 1, external: 1, failed: 0 } },
    ]);
    expect(out.diagnostics.find((d) => d.ruleId === 'render/external-source')?.message).toContain(
      'branch team: another revision of this repository',
    );
    // With bootstrap's sync not committed (fluxcd/flux2-multi-tenancy), the main line is the
    // repository's default and current branches.
    const placeholder = gitRepo({
      'clusters/prod/flux-system/gotk-sync.yaml': '# written by flux bootstrap\n',
      'clusters/prod/tenant.yaml': `${gitRepository('team', 'https://github.com/acme/fleet.git').replace('branch: main', 'branch: team')}---\n${ks('team', './only-on-the-team-branch', 'team')}`,
    });
    git(placeholder, 'remote', 'add', 'origin', 'https://github.com/acme/fleet');
    const tenant = await validate(placeholder);
    expect(tenant.summary.coverage.clusters).toMatchObject([
      { name: 'prod', kustomizations: { total: 2, rendered: 1, external: 1, failed: 0 } },
    ]);
  });

  it('a FluxInstance syncing a URL that is not a remote (a renamed repository) is rendered, and says so', async () => {
    const root = gitRepo({
      'clusters/prod/flux-system/instance.yaml': instance(''),
      'clusters/prod/cm.yaml': cm('a'),
    });
    git(root, 'remote', 'add', 'origin', 'https://github.com/acme/renamed-fleet');
    const out = await validate(root);
    expect(out.summary.coverage.clusters).toMatchObject([{ name: 'prod', kustomizations: { rendered: 1 } }]);
    expect(out.diagnostics.find((d) => d.ruleId === 'render/source-mapped')?.message).toContain(
      'not a remote of this repository (github.com/acme/renamed-fleet)',
    );
  });

  it('a root whose path names no cluster (kubernetes/flux/cluster) is named after the repository', async () => {
    const root = gitRepo({
      'kubernetes/flux/cluster/flux-system/gotk-sync.yaml': `${gitRepository('flux-system', 'https://github.com/acme/home-ops')}---\n${ks('flux-system', './kubernetes/flux/cluster')}`,
    });
    git(root, 'remote', 'add', 'origin', 'git@github.com:acme/home-ops.git');
    const out = await validate(root);
    expect(out.summary.coverage.clusters.map((c) => c.name)).toEqual(['home-ops']);
  });
});

describe('a copy of the repository (an exported commit or index) names its clusters as the repository does', () => {
  const deployment = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:latest
`;
  /** A cluster named after the repository (its root path names none), with one finding in it. */
  function homeOps(): string {
    const root = gitRepo({
      'kubernetes/flux/cluster/flux-system/gotk-sync.yaml': `${gitRepository('flux-system', 'https://github.com/acme/home-ops')}---\n${ks('flux-system', './kubernetes/flux/cluster')}`,
      'kubernetes/flux/cluster/apps.yaml': ks('apps', './kubernetes/apps'),
      'kubernetes/apps/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
      'kubernetes/apps/deployment.yaml': deployment(1),
    });
    git(root, 'remote', 'add', 'origin', 'git@github.com:acme/home-ops.git');
    writeFileSync(path.join(root, 'kubernetes/apps/deployment.yaml'), deployment(2));
    return root;
  }

  it('fluxgate diff: the base (an export) and the work tree are one cluster, changed', async () => {
    const root = homeOps();
    const run = await runCli(['diff', 'HEAD', '--format', 'json', '--no-cache'], {
      cwd: root,
      env: process.env,
    });
    expect(run.code, run.stderr).toBe(1);
    const out = JSON.parse(run.stdout) as { reached: string[]; clusters: { name: string; status: string }[] };
    expect(out.clusters.map((c) => `${c.name} ${c.status}`)).toEqual(['home-ops changed']);
    expect(out.reached).toEqual(['home-ops']);
  });

  it('validate --new-since: a finding already at REF is not new', async () => {
    const root = homeOps();
    const all = await validate(root);
    expect(all.diagnostics.filter((d) => d.cluster === 'home-ops').length).toBeGreaterThan(0);
    const run = await runCli(['validate', '-f', 'json', '--no-cache', '--new-since', 'HEAD'], {
      cwd: root,
      env: process.env,
    });
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as Out).diagnostics).toEqual([]);
  });

  it('validate --staged with unstaged edits (the index exported): the cluster keeps its name', async () => {
    const root = homeOps();
    git(root, 'add', 'kubernetes/apps/deployment.yaml');
    writeFileSync(path.join(root, 'kubernetes/apps/deployment.yaml'), `${deployment(3)}# not staged\n`);
    const out = await validate(root, '--staged');
    expect(out.summary.coverage.clusters.map((c) => c.name)).toEqual(['home-ops']);
  });
});
