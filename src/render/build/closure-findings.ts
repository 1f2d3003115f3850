import type { Closure } from '../kustomization/closure.js';
import type { BuildTarget, DocLocation, RenderFinding } from '../types.js';
import type { PreparedKustomization } from './prepare-kustomization.js';
import type { Place, TargetPlaces } from './target-places.js';

/** A kustomization of a build, repo-relative, for mapping rendered values back to their line. */
export interface MapNode {
  /** The kustomization file; for the target, the user's file (undefined when Flux generated one). */
  file?: string;
  dir: string;
  value: Record<string, unknown>;
  /** Repo-relative directories of the kustomizations it includes. */
  children: string[];
}

export interface MapInfo {
  /** The target directory, repo-relative. */
  dir: string;
  /** nodes[0] is the target's kustomization as built (Flux fields merged in). */
  nodes: MapNode[];
  fromFlux: Map<string, string>;
  /** The Flux Kustomization (per cluster: each has its own copy) and its spec. */
  flux?: DocLocation;
  fluxSpec?: Record<string, unknown>;
}

export function mapInfoOf(
  closure: Closure,
  places: TargetPlaces,
  target: BuildTarget,
  prepared: PreparedKustomization,
): MapInfo {
  const nodes = closure.nodes.map((node, i) => {
    const file = i === 0 ? prepared.original : places.repoPath(node.file);
    return {
      ...(file !== undefined ? { file } : {}),
      dir: places.repoPath(node.dir),
      value: node.value,
      children: node.children.map((c) => places.repoPath(c)),
    };
  });
  return {
    dir: nodes[0]?.dir ?? '',
    nodes,
    fromFlux: prepared.fromFlux,
    ...(target.flux?.location ? { flux: target.flux.location } : {}),
  };
}

function make(
  place: Place,
  ruleId: string,
  severity: RenderFinding['severity'],
  message: string,
  perCluster = true,
): RenderFinding {
  return {
    ...place,
    ruleId,
    severity,
    message,
    source: ruleId.startsWith('kustomize/') ? 'kustomize' : 'render',
    perCluster,
  };
}

/** A finding about a field itself (deprecated, helmCharts): at its key. */
function atKey(finding: RenderFinding): RenderFinding {
  return { ...finding, atKey: true };
}

/**
 * Findings known before kustomize runs: paths that leave the source root (Flux's secure file
 * system), remote bases (not fetched unless allowed), Helm charts in a Flux target (Flux disables
 * kustomize's Helm support), and deprecated fields (info, once, not per cluster).
 */
export function closureFindings(
  closure: Closure,
  places: TargetPlaces,
  options: { flux: boolean; remoteBases: boolean },
): { status: 'ok' | 'failed' | 'skipped'; findings: RenderFinding[] } {
  const findings: RenderFinding[] = [];
  for (const d of closure.deprecated)
    findings.push(
      atKey(
        make(
          places.entry(d.file, d.pointer),
          'kustomize/deprecated',
          'info',
          `'${d.value}' is deprecated in kustomize; use '${d.replacement}' (kustomize edit fix)`,
          false,
        ),
      ),
    );
  for (const e of closure.escapes) {
    const inRepo = places.repoPath(e.resolved);
    const where = inRepo.startsWith('..') ? e.resolved : inRepo;
    const message =
      e.why === 'outside'
        ? `'${e.value}' resolves to ${where}, outside the source root: Flux's build cannot read files outside its source artifact`
        : `'${e.value}' goes through a symlink (to ${where}): Flux's source artifact holds no symlinks, so the build cannot read it`;
    findings.push(make(places.entry(e.file, e.pointer), 'kustomize/build-failed', 'error', message));
  }
  if (closure.escapes.length > 0) return { status: 'failed', findings };
  if (options.flux && closure.helmCharts.length > 0) {
    for (const h of closure.helmCharts)
      findings.push(
        atKey(
          make(
            places.entry(h.file, h.pointer),
            'render/helm-charts-disabled',
            'error',
            `${h.value} needs kustomize's Helm support, which Flux disables: use a HelmRelease instead`,
          ),
        ),
      );
    return { status: 'failed', findings };
  }
  if (closure.helmCharts.length > 0) return { status: 'skipped', findings };
  if (!options.remoteBases && closure.remotes.length > 0) {
    for (const r of closure.remotes)
      findings.push(
        make(
          places.entry(r.file, r.pointer),
          'render/remote-base-skipped',
          'info',
          `${r.kind === 'file' ? 'remote file' : 'remote base'} '${r.value}' is not fetched (set network.remoteBases: true in .fluxgate.yaml); this build is skipped`,
        ),
      );
    return { status: 'skipped', findings };
  }
  return { status: 'ok', findings };
}
