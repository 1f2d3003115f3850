/**
 * `npm run bench:dry-run`: the cost of `--server-dry-run` per 1,000 objects, against a real
 * kube-apiserver + etcd on 127.0.0.1 (the tests' server: test/helpers/apiserver.ts). One cluster of
 * the generated fleet (BENCH_APPS apps, default 60) with its namespaces already in the server;
 * fluxgate runs warm (builds and checks cached), with and without the dry run, alternating,
 * BENCH_REPS times. Appends to bench/results.jsonl.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate } from '../src/validate.js';
import { startTestApiServer } from '../test/helpers/apiserver.js';
import { fleetFromEnv, generateFleet } from './fleet.js';
import { measure, median, spread } from './measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '..');
const reps = Number(process.env.BENCH_REPS ?? 3);
const params = { ...fleetFromEnv(process.env), clusters: 1 };
const work = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-bench-dry-run-'));
const fleetDir = path.join(work, 'fleet');
generateFleet(fleetDir, params);
const server = await startTestApiServer();
try {
  const rendered = await validate({ cwd: fleetDir, stages: ['render'], render: { env: process.env } });
  const cluster = rendered.clusters[0]!;
  const namespaces = new Set(
    cluster.resources.filter((r) => r.id.kind === 'Namespace').map((r) => r.id.name),
  );
  for (const r of cluster.resources) if (r.id.namespace) namespaces.add(r.id.namespace);
  await server.create(
    [...namespaces].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
  );
  writeFileSync(
    path.join(fleetDir, '.fluxgate.yaml'),
    `clusterRoots: ["clusters/*"]\nclusters:\n  ${cluster.name}:\n    context: admin\n`,
  );
  const env = { FLUXGATE_CACHE_DIR: path.join(work, 'cache') };
  const fluxgate = ['node', path.join(projectRoot, 'bin/fluxgate.js'), 'validate', '-q'];
  const dry = [...fluxgate, '--server-dry-run', '--kubeconfig', server.kubeconfig];
  measure(fluxgate, { cwd: fleetDir, env }); // prime the cache
  const without: number[] = [];
  const withDry: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    without.push(measure(fluxgate, { cwd: fleetDir, env }).wallMs);
    withDry.push(measure(dry, { cwd: fleetDir, env }).wallMs);
  }
  const objects = cluster.resources.length;
  const perThousand = ((median(withDry) - median(without)) / objects) * 1000;
  console.log(`${objects} objects in cluster ${cluster.name}, ${reps} runs each`);
  console.log(
    `fluxgate validate (warm)                 ${Math.round(median(without))} ms ± ${Math.round(spread(without))}`,
  );
  console.log(
    `fluxgate validate --server-dry-run (warm) ${Math.round(median(withDry))} ms ± ${Math.round(spread(withDry))}`,
  );
  console.log(
    `dry run: ${Math.round(perThousand)} ms per 1,000 objects (loopback API server, 8 requests at once)`,
  );
  appendFileSync(
    path.join(here, 'results.jsonl'),
    `${JSON.stringify({
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
      bench: 'dry-run',
      objects,
      reps,
      withoutMs: Math.round(median(without)),
      withDryRunMs: Math.round(median(withDry)),
      dryRunMsPer1000: Math.round(perThousand),
    })}\n`,
  );
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
