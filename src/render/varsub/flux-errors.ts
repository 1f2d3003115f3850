// Flux's error texts for a failed substitution, as fluxcd/pkg kustomize v1.35 `SubstituteVariables`
// wraps them ("envsubst error: %w" around varSubstitution's errors); kustomize-controller adds
// "post build failed for '<gvk>/<name>': " in front.

export const fluxErrors = {
  invalidName: (message: string) => `envsubst error: ${message}`,
  substitution: (message: string) => `envsubst error: variable substitution failed: ${message}`,
  undefinedVar: (name: string) =>
    `envsubst error: variable substitution failed: variable not set (strict mode): ${JSON.stringify(name)}`,
  yaml: (message: string) => `envsubst error: YAMLToJSON: ${message}`,
};
