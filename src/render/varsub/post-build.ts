// When kustomize-controller v1.9 substitutes (`kustomization_controller.go` build loop and fluxcd/pkg
// kustomize `SubstituteVariables`): only when `spec.postBuild` is set; then per resource, skipping those
// labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled`; and only when at least one
// variable was loaded, unless `substituteStrategy: Always` (useful for `${v:=default}` without vars).
// Note a variable counts even if nothing references it, and even if its name is invalid (which then
// fails the substitution).
import { isSubstitutionDisabled } from './disabled.js';
import type { PostBuild } from './resolve-variables.js';
import { type ResourceSubstitution, substituteResource } from './substitute-resource.js';
import type { SubstituteOptions, Vars } from './types.js';

export const SUBSTITUTE_STRATEGY_ALWAYS = 'Always';
export const SUBSTITUTE_STRATEGY_WITH_VARIABLES = 'WithVariables';

export function shouldSubstitute(postBuild: PostBuild | null | undefined, vars: Vars): boolean {
  if (postBuild == null) return false;
  return Object.keys(vars).length > 0 || postBuild.substituteStrategy === SUBSTITUTE_STRATEGY_ALWAYS;
}

export type PostBuildOutcome =
  | { applied: false; reason: 'no-post-build' | 'disabled' | 'no-variables' }
  | ({ applied: true } & ResourceSubstitution);

/** The controller's decision and substitution for one rendered resource. */
export function postBuildResource(
  obj: unknown,
  postBuild: PostBuild | null | undefined,
  vars: Vars,
  options: SubstituteOptions,
): PostBuildOutcome {
  if (postBuild == null) return { applied: false, reason: 'no-post-build' };
  if (isSubstitutionDisabled(obj)) return { applied: false, reason: 'disabled' };
  if (!shouldSubstitute(postBuild, vars)) return { applied: false, reason: 'no-variables' };
  return { applied: true, ...substituteResource(obj, vars, options) };
}
