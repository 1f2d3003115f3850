// fluxcd/pkg kustomize `SubstituteVariables`: a resource whose label or annotation
// `kustomize.toolkit.fluxcd.io/substitute` is `disabled` is left as it is (checked on the resource
// before substitution, so a value that only becomes "disabled" through a variable does not count).

export const SUBSTITUTE_KEY = 'kustomize.toolkit.fluxcd.io/substitute';
export const DISABLED_VALUE = 'disabled';

function stringMap(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function isSubstitutionDisabled(obj: unknown): boolean {
  const metadata = stringMap(stringMap(obj).metadata);
  const flag = (field: unknown) => {
    const map = stringMap(field);
    return Object.hasOwn(map, SUBSTITUTE_KEY) && map[SUBSTITUTE_KEY] === DISABLED_VALUE;
  };
  return flag(metadata.labels) || flag(metadata.annotations);
}
