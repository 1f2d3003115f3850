// fluxcd/pkg kustomize `kustomize_varsub.go`: before substituting, every variable name, inline or from
// a ConfigMap/Secret key, must match varsubRegex, or the whole substitution fails. Go's [:alpha:] and
// [:digit:] are ASCII classes, while envsubst itself reads any Unicode letter as part of a name, so
// `${café}` parses but can never be defined. ConfigMap keys may contain `-` and `.`: one such key in a
// `substituteFrom` source makes every substitution of that Kustomization fail.

export const VARSUB_REGEX = '^[_[:alpha:]][_[:alpha:][:digit:]]*$';
const validName = /^[_A-Za-z][_A-Za-z0-9]*$/;

export function validVarName(name: string): boolean {
  return validName.test(name);
}

/** The names Flux rejects, in the order given. */
export function invalidVarNames(vars: Readonly<Record<string, string>>): string[] {
  return Object.keys(vars).filter((name) => !validVarName(name));
}

/** Flux's error text for an invalid name (Go reports whichever its map iteration meets first). */
export function invalidVarNameMessage(name: string): string {
  return `'${name}' var name is invalid, must match '${VARSUB_REGEX}'`;
}
