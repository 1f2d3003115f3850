// Flux CRD schemas: controller-gen (pinned in tools/versions.env) over the Flux API Go
// modules that tools/schema-gen/go.mod pins at the versions Flux uses. Every served version
// of every CRD becomes one definition, keyed <group>/<version>/<Kind>; the schema is the
// CRD's openAPIV3Schema as is (structural, x-kubernetes-* kept), minus documentation.
// https://book.kubebuilder.io/reference/controller-gen
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO, run, stripDocs, toolPath } from './lib.js';

export const FLUX_VERSION = 'v2.9.4';
const MODULE_DIR = path.join(REPO, 'tools/schema-gen');

interface Crd {
  spec: {
    group: string;
    names: { kind: string };
    scope: string;
    versions: { name: string; served: boolean; schema?: { openAPIV3Schema?: unknown } }[];
  };
}

/** The Flux API modules: every requirement of tools/schema-gen/go.mod under github.com/fluxcd/*-(controller|watcher)/api. */
function apiModules(): { path: string; dir: string }[] {
  const out = run('go', ['list', '-m', '-json', 'all'], { cwd: MODULE_DIR });
  const modules: { path: string; dir: string }[] = [];
  // `go list -m -json` prints concatenated JSON objects.
  for (const chunk of out.split(/\n(?=\{)/)) {
    const m = JSON.parse(chunk) as { Path: string; Dir?: string; Main?: boolean };
    if (!m.Main && /^github\.com\/fluxcd\/[^/]+\/api(\/v\d+)?$/.test(m.Path)) {
      if (!m.Dir) run('go', ['mod', 'download', m.Path], { cwd: MODULE_DIR });
      modules.push({ path: m.Path, dir: m.Dir ?? '' });
    }
  }
  return modules.sort((a, b) => (a.path < b.path ? -1 : 1));
}

export function generateFlux(): { definitions: Record<string, unknown>; kinds: Record<string, KindEntry> } {
  const controllerGen = toolPath('controller-gen');
  const modules = apiModules();
  const out = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-crds-'));
  try {
    run(controllerGen, ['crd', ...modules.map((m) => `paths=${m.path}/...`), `output:crd:dir=${out}`], {
      cwd: MODULE_DIR,
    });
    const definitions: Record<string, unknown> = {};
    const kinds: Record<string, KindEntry> = {};
    for (const file of readdirSync(out).sort()) {
      const crd = parse(readFileSync(path.join(out, file), 'utf8')) as Crd;
      const { group, names, scope } = crd.spec;
      for (const version of crd.spec.versions) {
        const schema = version.schema?.openAPIV3Schema;
        if (!version.served || !schema) continue;
        const key = `${group}/${version.name}/${names.kind}`;
        definitions[key] = stripDocs(schema);
        kinds[key] = { ref: key, namespaced: scope === 'Namespaced' };
      }
    }
    if (Object.keys(kinds).length === 0) throw new Error('controller-gen produced no CRDs');
    allowOperatorEventSources(definitions);
    return { definitions, kinds };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export interface KindEntry {
  /** Definition name in the bundle. */
  ref: string;
  namespaced?: boolean;
}

/**
 * Flux as the Flux Operator installs it (a FluxInstance, common on managed fleets) accepts the
 * operator's own kinds as Alert event sources: its notification-controller CRD lists them
 * (controlplaneio-fluxcd/flux-operator#131 FluxInstance, #224 ResourceSet). The CRD alone would
 * flag those healthy Alerts, so the bundled schema accepts them too.
 */
const OPERATOR_EVENT_SOURCES = ['FluxInstance', 'ResourceSet', 'ResourceSetInputProvider'];

function allowOperatorEventSources(definitions: Record<string, unknown>): void {
  for (const [key, schema] of Object.entries(definitions)) {
    if (!/^notification\.toolkit\.fluxcd\.io\/[^/]+\/Alert$/.test(key)) continue;
    const kind = (
      schema as {
        properties?: {
          spec?: {
            properties?: { eventSources?: { items?: { properties?: { kind?: { enum?: string[] } } } } };
          };
        };
      }
    ).properties?.spec?.properties?.eventSources?.items?.properties?.kind;
    if (!kind?.enum) continue;
    for (const extra of OPERATOR_EVENT_SOURCES) if (!kind.enum.includes(extra)) kind.enum.push(extra);
  }
}
