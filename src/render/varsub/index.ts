// Flux post-build variable substitution (kustomize-controller v1.9, fluxcd/pkg kustomize v1.35,
// fluxcd/pkg envsubst v1.7), as pure functions.
export { DISABLED_VALUE, isSubstitutionDisabled, SUBSTITUTE_KEY } from './disabled.js';
export { fluxErrors } from './flux-errors.js';
export { emitGoYaml as fluxYaml } from './go-yaml/emit.js';
export {
  type PostBuildOutcome,
  postBuildResource,
  SUBSTITUTE_STRATEGY_ALWAYS,
  SUBSTITUTE_STRATEGY_WITH_VARIABLES,
  shouldSubstitute,
} from './post-build.js';
export {
  type LookupResult,
  type MissingSource,
  type PostBuild,
  type ResolvedVariables,
  resolveVariables,
  type SourceKind,
  type SourceLookup,
  type SubstituteReference,
  type UnknownSource,
} from './resolve-variables.js';
export { substitute } from './substitute.js';
export {
  type ResourceSubstitution,
  type ResourceUndefinedVar,
  type SubstitutedNode,
  substituteResource,
  type VarsubError,
  type VarsubErrorKind,
} from './substitute-resource.js';
export type {
  Replacement,
  SubstituteOptions,
  SubstituteResult,
  UndefinedVar,
  Vars,
  VarsubSyntaxError,
} from './types.js';
export { invalidVarNameMessage, invalidVarNames, VARSUB_REGEX, validVarName } from './var-names.js';
