import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CATALOG_GROUPS, type FleetParams } from './fleet.js';
import { writeKubeconformSchemas } from './kubeconform-schemas.js';

export type Tools = Record<'kustomize' | 'kubeconform' | 'conftest', string>;

/** The pinned peers, installed (if missing) by the project's tools script. */
export function pinnedTools(projectRoot: string): Tools {
  const out = execFileSync(
    'bash',
    [
      path.join(projectRoot, 'scripts/install-tools.sh'),
      '--only',
      'kustomize,kubeconform,conftest',
      '--print',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const tools = Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((l) => l.split('=', 2) as [string, string]),
  );
  return tools as Tools;
}

/** Makes the fleet a git repository with one commit, for `validate --staged`. */
export function gitInit(dir: string): void {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=bench@example.com', '-c', 'user.name=bench', ...args], {
      cwd: dir,
      stdio: 'ignore',
    });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'fleet');
}

/**
 * A kubeconform schema directory made from fluxgate's bundled schemas, and from its catalog the
 * groups of the fleet's custom resources (their newest release), so both check the same kinds.
 */
export function kubeconformSchemas(projectRoot: string, dir: string): number {
  const catalog = path.join(projectRoot, 'schemas', 'catalog');
  const index = JSON.parse(readFileSync(path.join(catalog, 'index.json'), 'utf8')) as {
    projects: { releases: { groups: Record<string, string> }[] }[];
  };
  const files = CATALOG_GROUPS.map((group) => {
    const file = index.projects.map((p) => p.releases[0]?.groups[group]).find((f) => f !== undefined);
    if (!file) throw new Error(`bench: the catalog has no ${group}`);
    return path.join(catalog, file);
  });
  return writeKubeconformSchemas(path.join(projectRoot, 'schemas'), dir, files);
}

/**
 * Pre-rendered manifests (`<outDir>/manifests/<cluster>/<app>.yaml`): each app overlay built once by kustomize, then written once per cluster
 * with the cluster's postBuild variable substituted, as plain files without a kustomization. The
 * config turns off every check that needs more than the files (refs, policies) so fluxgate's
 * run is schema-only; kubeconform checks the same files.
 */
export function preRender(fleetDir: string, outDir: string, kustomize: string, params: FleetParams): number {
  let resources = 0;
  for (const env of readdirSync(path.join(fleetDir, 'apps')).filter((d) => d !== 'base')) {
    for (const app of readdirSync(path.join(fleetDir, 'apps', env)).sort()) {
      const yaml = execFileSync(kustomize, ['build', path.join(fleetDir, 'apps', env, app)], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      });
      for (let c = 0; c < params.clusters; c++) {
        const cluster = `${c % params.environments === 0 ? 'dev' : 'prod'}-${String(c).padStart(2, '0')}`;
        if (!cluster.startsWith(env)) continue;
        mkdirSync(path.join(outDir, 'manifests', cluster), { recursive: true });
        writeFileSync(
          path.join(outDir, 'manifests', cluster, `${app}.yaml`),
          yaml.replace(/\$\{cluster_name\}/g, cluster),
        );
        resources += yaml.split(/^kind: /m).length - 1;
      }
    }
  }
  const off = (ids: string[]) => ids.map((id) => `  ${id}: off\n`).join('');
  writeFileSync(path.join(outDir, '.fluxgate.yaml'), `rules:\n${off(OFF_IN_SCHEMA_ONLY)}`);
  return resources;
}

/**
 * A config for the policy-only case: the built-in rules equivalent to the conftest peer's Rego
 * (image and chart pinning) on, every other rule off. Returns its path.
 */
export function policyOnlyConfig(dir: string): string {
  const file = path.join(dir, 'policy-only.fluxgate.yaml');
  const off = OFF_IN_SCHEMA_ONLY.filter(
    (id) => id !== 'policy/image-tag-pinned' && id !== 'policy/helm-chart-pinned',
  );
  writeFileSync(file, `rules:\n${off.map((id) => `  ${id}: off\n`).join('')}`);
  return file;
}

const OFF_IN_SCHEMA_ONLY = [
  'policy/image-tag-pinned',
  'policy/helm-chart-pinned',
  'policy/rbac-cluster-admin',
  'policy/rbac-wildcards',
  'policy/flux-tenant-service-account',
  'policy/secret-encrypted',
  'policy/git-source-auth',
  'policy/container-resources',
  'policy/pod-security',
  'policy/separate-env-overlays',
  'refs/source-not-found',
  'refs/depends-on-not-found',
  'refs/depends-on-cycle',
  'refs/provider-not-found',
  'refs/values-from-not-found',
  'refs/substitute-from-not-found',
  'refs/path-not-found',
  'refs/duplicate-owner',
];
