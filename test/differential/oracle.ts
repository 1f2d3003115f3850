// The flux-oracle binary (tools/flux-oracle: kustomize-controller v1.9.4's library code) for the
// differential tests, from the tools cache (`npm run tools`); FLUXGATE_FLUX_ORACLE overrides it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const PROJECT = path.resolve(import.meta.dirname, '../..');

export interface Oracle {
  path?: string;
  problem?: string;
}

export function locateFluxOracle(): Oracle {
  const override = process.env.FLUXGATE_FLUX_ORACLE;
  if (override)
    return existsSync(override)
      ? { path: override }
      : { problem: `FLUXGATE_FLUX_ORACLE=${override} does not exist` };
  const run = spawnSync(
    'bash',
    [path.join(PROJECT, 'scripts/install-tools.sh'), '--check', '--print', '--only', 'flux-oracle'],
    {
      encoding: 'utf8',
    },
  );
  const line = (run.stdout ?? '').split('\n').find((l) => l.startsWith('flux-oracle='));
  if (!line)
    return {
      problem:
        'flux-oracle is not a tool of scripts/install-tools.sh (tools/versions.env LOCAL_MODULES needs ' +
        `flux-oracle:FLUXCD_PKG_KUSTOMIZE_VERSION:github.com/fluxcd/pkg/kustomize): ${(run.stderr ?? '').trim()}`,
    };
  const file = line.slice('flux-oracle='.length);
  if (!existsSync(file)) return { problem: `flux-oracle is not installed (${file}): run \`npm run tools\`` };
  return { path: file };
}
