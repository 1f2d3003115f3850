import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { fluxgateCacheDir } from '../cache/cache-dir.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { UsageError } from '../core/errors.js';
import { isInside, toRepoPath } from '../core/paths.js';
import type { SecretSet } from '../core/secret-set.js';
import { projectStageOptions, renderProject } from '../model/render-project.js';
import { renderOne } from '../model/render-stage.js';
import { addRenderSecrets, addRepoSecrets, secretInputs } from '../pipeline/run-secrets.js';
import { formatBuildOutput } from '../render/output/build-output.js';
import { addSecretObjects } from '../report/secret-objects.js';
import { debugWriter } from './debug-writer.js';
import { BUILD_HELP } from './help.js';
import { toolEnv, withInterrupts } from './interrupt.js';
import type { CliIo } from './io.js';
import { writeNotice } from './notice.js';

const BUILD_OPTIONS = {
  cluster: { type: 'string' },
  'show-secrets': { type: 'boolean' },
  root: { type: 'string' },
  config: { type: 'string', short: 'c' },
  'kustomize-bin': { type: 'string' },
  'keep-temp': { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  'no-helm': { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

function parse(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: BUILD_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')}\nRun 'fluxgate build --help' for usage.`,
    );
  }
}

/** Why a build is incomplete, one line per error, on stderr (the manifests go to stdout). */
function reportErrors(io: CliIo, findings: readonly Diagnostic[], secrets: SecretSet): void {
  for (const f of findings)
    if (f.severity === 'error')
      io.stderr.write(`${f.file}:${f.line}:${f.column}: ${f.ruleId}: ${secrets.scrub(f.message)}\n`);
}

/**
 * `fluxgate build --cluster NAME` prints one cluster as Flux renders it; `fluxgate build PATH` one
 * directory (a plain overlay) or the Flux Kustomizations of one file. Exit 0 when everything
 * rendered, 1 when a target failed, 2 on usage or tool errors.
 */
export async function runBuild(io: CliIo, args: readonly string[], secrets: SecretSet): Promise<number> {
  const { values, positionals } = parse(args);
  if (values.help) {
    io.stdout.write(BUILD_HELP);
    return 0;
  }
  const cluster = values.cluster;
  if ((cluster === undefined) === (positionals.length === 0) || positionals.length > 1)
    throw new UsageError("build takes --cluster NAME or one PATH\nRun 'fluxgate build --help' for usage.");
  const debug = values.debug ? debugWriter(io, secrets) : undefined;
  const showSecrets = values['show-secrets'] === true;
  return withInterrupts(async (signal) => {
    const common = {
      cwd: io.cwd,
      root: values.root,
      configPath: values.config,
      env: toolEnv(io),
      kustomizeBin: values['kustomize-bin'],
      keepTemp: values['keep-temp'],
      // The same cache as validate: a warm build runs no kustomize again.
      cacheDir: values['no-cache'] === true ? undefined : fluxgateCacheDir(io.env),
      ...(values['no-helm'] === true ? { helmReleases: false } : {}),
      signal,
      ...(debug ? { debug } : {}),
    };
    if (cluster !== undefined) {
      const { root, render } = await renderProject(common);
      // What validate would scrub, build scrubs too: substituted values from Secrets among them.
      addRenderSecrets(secrets, root, render);
      const found = render.clusters.find((c) => c.name === cluster);
      if (!found) {
        const names = render.clusters.map((c) => c.name).join(', ') || 'none';
        throw new UsageError(`--cluster ${cluster}: no such cluster (clusters: ${names})`);
      }
      const findings = render.findings.filter((f) => f.cluster === cluster);
      io.stdout.write(
        formatBuildOutput(
          found.resources.map((r) => r.value),
          { showSecrets, secrets },
        ),
      );
      reportErrors(io, findings, secrets);
      // What the output lacks is said, whatever the exit code: a partial render never looks whole.
      for (const i of found.incomplete)
        io.stderr.write(
          `note: Kustomization ${i.namespace}/${i.name} is not in the output: ${secrets.scrub(i.reason)}\n`,
        );
      for (const h of found.helmReleases ?? [])
        if (h.status !== 'rendered')
          io.stderr.write(
            `note: HelmRelease ${h.namespace}/${h.name} is not in the output: ${secrets.scrub(h.reason ?? h.status)}\n`,
          );
      writeNotice(io, render.kustomizeNotice, false);
      const failed =
        found.incomplete.some((i) => i.kind === 'failed') ||
        (found.helmReleases ?? []).some((h) => h.status === 'failed') ||
        findings.some((f) => f.severity === 'error');
      return failed ? 1 : 0;
    }
    const target = path.resolve(io.cwd, positionals[0]!);
    if (!existsSync(target)) throw new UsageError(`${positionals[0]}: no such file or directory`);
    const stage = await projectStageOptions(common, target);
    if (!isInside(stage.root, target))
      throw new UsageError(`${positionals[0]}: outside the repository root ${stage.root}`);
    const rel = toRepoPath(stage.root, target);
    const one = await renderOne(stage, statSync(target).isDirectory() ? { dir: rel } : { file: rel });
    addSecretObjects(
      secrets,
      one.resources.map((r) => r.value),
    );
    const read = one.reader.extraTexts().flatMap(([file]) => one.reader.get(file) ?? []);
    addRepoSecrets(secrets, stage.root, secretInputs(read));
    io.stdout.write(
      formatBuildOutput(
        one.resources.map((r) => r.value),
        { showSecrets, secrets },
      ),
    );
    reportErrors(io, one.findings, secrets);
    writeNotice(io, one.kustomizeNotice, false);
    return one.failed ? 1 : 0;
  });
}
