import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const ks = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

async function unlisted(files: Record<string, string>): Promise<string[]> {
  const run = await runCli(['validate', '--format', 'json', '--fail-level', 'info'], {
    cwd: tempRepo(files),
  });
  expect(run.stderr).toBe('');
  return (JSON.parse(run.stdout).diagnostics as { ruleId: string; file: string; line: number }[])
    .filter((d) => d.ruleId === 'kustomize/unlisted-file')
    .map((d) => `${d.file}:${d.line}`);
}

describe('kustomize/unlisted-file', () => {
  it('reports a manifest beside a kustomization that nothing reads, at its first object', async () => {
    expect(
      await unlisted({
        'apps/kustomization.yaml': ks('resources:\n  - a.yaml\n'),
        'apps/a.yaml': cm('a'),
        'apps/b.yaml': `# a comment first\n${cm('b')}`,
      }),
    ).toEqual(['apps/b.yaml:2']);
  });

  it('a comment that names another file does not excuse this one', async () => {
    expect(
      await unlisted({
        'apps/kustomization.yaml': ks('resources:\n  - a.yaml\n  # - cilium-charts.yaml\n'),
        'apps/a.yaml': cm('a'),
        'apps/cilium-charts.yaml': cm('c'),
        'apps/charts.yaml': cm('charts'),
      }),
    ).toEqual(['apps/charts.yaml:1']);
  });

  it('in a base that only an overlay builds', async () => {
    expect(
      await unlisted({
        'apps/base/kustomization.yaml': ks('resources:\n  - a.yaml\n'),
        'apps/base/a.yaml': cm('a'),
        'apps/base/forgotten.yaml': cm('f'),
        'apps/prod/kustomization.yaml': ks('resources:\n  - ../base\n'),
      }),
    ).toEqual(['apps/base/forgotten.yaml:1']);
  });

  it.each([
    [
      'a patch, a component and a generator input',
      {
        'apps/kustomization.yaml': ks(
          'resources:\n  - a.yaml\npatches:\n  - path: patch.yaml\ncomponents:\n  - ../component\n' +
            'configMapGenerator:\n  - name: gen\n    files:\n      - settings.yaml\n',
        ),
        'apps/a.yaml': cm('a'),
        'apps/patch.yaml': `${cm('a')}data:\n  k: v\n`,
        'apps/settings.yaml': cm('not-a-resource-here'),
        'component/kustomization.yaml':
          'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - extra.yaml\n',
        'component/extra.yaml': cm('extra'),
      },
    ],
    [
      'a file another overlay lists',
      {
        'apps/base/kustomization.yaml': ks('resources:\n  - a.yaml\n'),
        'apps/base/a.yaml': cm('a'),
        'apps/base/only-prod.yaml': cm('p'),
        'apps/prod/kustomization.yaml': ks('resources:\n  - ../base\n  - ../base/only-prod.yaml\n'),
      },
    ],
    [
      'a directory without a kustomization (Flux applies every manifest in it)',
      { 'apps/a.yaml': cm('a'), 'apps/b.yaml': cm('b') },
    ],
    [
      'YAML that holds no Kubernetes object',
      {
        'apps/kustomization.yaml': ks('resources:\n  - a.yaml\n'),
        'apps/a.yaml': cm('a'),
        'apps/values.yaml': 'replicas: 2\n',
      },
    ],
    [
      'a directory whose build fails',
      {
        'apps/kustomization.yaml': ks('resources:\n  - a.yaml\n  - missing.yaml\n'),
        'apps/a.yaml': cm('a'),
        'apps/b.yaml': cm('b'),
      },
    ],
    [
      'a file kept on purpose, with a suppression comment',
      {
        'apps/kustomization.yaml': ks('resources:\n  - a.yaml\n'),
        'apps/a.yaml': cm('a'),
        'apps/old.yaml': `# fluxgate-disable-next-line kustomize/unlisted-file -- kept for the runbook\n${cm('old')}`,
      },
    ],
    [
      "a file in .sourceignore (not in Flux's artifact)",
      {
        '.sourceignore': 'apps/old.yaml\n',
        'apps/kustomization.yaml': ks('resources:\n  - a.yaml\n'),
        'apps/a.yaml': cm('a'),
        'apps/old.yaml': cm('old'),
      },
    ],
    [
      'an entry commented out in the kustomization (left out on purpose)',
      {
        'apps/kustomization.yaml': ks(
          'resources:\n  - a.yaml\n  # - ./cilium-charts.yaml  # migrated to an OCIRepository\n  #- old.yaml\n',
        ),
        'apps/a.yaml': cm('a'),
        'apps/cilium-charts.yaml': cm('c'),
        'apps/old.yaml': cm('old'),
      },
    ],
  ])('not for %s', async (_name, files) => {
    expect(await unlisted(files)).toEqual([]);
  });
});
