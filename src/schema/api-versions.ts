import { existsSync, readFileSync } from 'node:fs';
import { packageFile } from '../core/package-files.js';
import { compareVersions, minorOf } from './bundled.js';
import { KUBERNETES_API_CHANGES } from './kubernetes-removed-apis.js';
import { splitApiVersion } from './types.js';

/** schemas/flux-api-versions.json, generated from the Flux API modules (scripts/schemas). */
interface FluxApiTable {
  releases: string[];
  apis: {
    group: string;
    kind: string;
    version: string;
    servedIn: string[];
    deprecatedIn?: string;
    removedIn?: string;
    replacement?: string;
  }[];
}

export interface ApiStatus {
  status: 'removed' | 'deprecated';
  message: string;
  /** The version to move to, as a full apiVersion. */
  replacement?: string;
}

let table: FluxApiTable | undefined;

function fluxTable(): FluxApiTable {
  if (!table) {
    const file = packageFile('schemas/flux-api-versions.json');
    table = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as FluxApiTable)
      : { releases: [], apis: [] };
  }
  return table;
}

export function newestFluxRelease(): string | undefined {
  return fluxTable().releases.at(-1);
}

const atLeast = (version: string, than: string) => compareVersions(minorOf(version), than) >= 0;

const FLUX_GROUP = /(^|\.)toolkit\.fluxcd\.io$|^source\.extensions\.fluxcd\.io$/;

/** Whether a Flux release serves this apiVersion of one of Flux's own kinds (per the table). */
export function fluxServes(apiVersion: string, kind: string, fluxVersion: string): boolean {
  const { group, version } = splitApiVersion(apiVersion);
  const flux = minorOf(fluxVersion);
  const first = fluxTable().releases[0];
  // A release older than the table (Flux 0.x): its kinds were served in versions it does not list.
  if (first && compareVersions(flux, first) < 0)
    return fluxTable().apis.some((a) => a.group === group && a.kind === kind);
  return fluxTable().apis.some(
    (a) => a.group === group && a.kind === kind && a.version === version && a.servedIn.includes(flux),
  );
}

/**
 * A Flux apiVersion's status for a Flux release ("2.9"): removed or deprecated there, with
 * the replacement. Versions that predate the table (served before Flux 2.0) count as removed.
 * https://fluxcd.io/flux/components/ (API references), `flux migrate`.
 */
export function fluxApiStatus(apiVersion: string, kind: string, fluxVersion: string): ApiStatus | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  if (!FLUX_GROUP.test(group)) return undefined;
  const rows = fluxTable().apis.filter((a) => a.group === group && a.kind === kind);
  if (rows.length === 0) return undefined;
  const flux = minorOf(fluxVersion);
  const current =
    rows.find((r) => r.servedIn.includes(flux) && !r.deprecatedIn) ?? rows.find((r) => !r.removedIn);
  const row = rows.find((r) => r.version === version);
  // Advise a version this release serves: following the advice must not break the cluster.
  const served = (v: string | undefined) => rows.some((r) => r.version === v && r.servedIn.includes(flux));
  const replacement = served(row?.replacement) ? row?.replacement : (current?.version ?? row?.replacement);
  const to = replacement && replacement !== version ? `${group}/${replacement}` : undefined;
  const use = to ? `; use apiVersion ${to} (\`flux migrate\` rewrites manifests)` : '';
  if (!row)
    return {
      status: 'removed',
      message: `${apiVersion} ${kind} is not served by Flux ${flux} or any release since 2.0${use}`,
      ...(to ? { replacement: to } : {}),
    };
  if (row.removedIn && atLeast(flux, row.removedIn))
    return {
      status: 'removed',
      message: `${apiVersion} ${kind} was removed in Flux ${row.removedIn}${use}`,
      ...(to ? { replacement: to } : {}),
    };
  if (row.deprecatedIn && atLeast(flux, row.deprecatedIn)) {
    const until = row.removedIn ? ` and removed in Flux ${row.removedIn}` : '';
    return {
      status: 'deprecated',
      message: `${apiVersion} ${kind} is deprecated since Flux ${row.deprecatedIn}${until}${use}`,
      ...(to ? { replacement: to } : {}),
    };
  }
  return undefined;
}

/** A Kubernetes apiVersion's status for a Kubernetes version ("1.37"), from the migration guide. */
export function kubernetesApiStatus(
  apiVersion: string,
  kind: string,
  kubernetesVersion: string,
): ApiStatus | undefined {
  const change = KUBERNETES_API_CHANGES.find((c) => c.apiVersion === apiVersion && c.kinds.includes(kind));
  if (!change) return undefined;
  const to = change.replacement;
  const use = to ? `; use apiVersion ${to}` : '';
  const note = change.note ? ` (${change.note})` : '';
  if (change.removedIn && atLeast(kubernetesVersion, change.removedIn))
    return {
      status: 'removed',
      message: `${apiVersion} ${kind} was removed in Kubernetes ${change.removedIn}${use}${note}`,
      ...(to ? { replacement: to } : {}),
    };
  if (change.deprecatedIn && atLeast(kubernetesVersion, change.deprecatedIn))
    return {
      status: 'deprecated',
      message: `${apiVersion} ${kind} is deprecated since Kubernetes ${change.deprecatedIn}${use}${note}`,
      ...(to ? { replacement: to } : {}),
    };
  return undefined;
}
