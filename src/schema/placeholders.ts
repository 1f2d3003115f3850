/**
 * JSON pointers (RFC 6901) of the strings holding a Flux variable (`${...}`): in a manifest no Flux
 * Kustomization substitutes (a template, a file checked as written), their values are unknown.
 */
export function placeholderPointers(value: unknown, at = ''): string[] {
  if (typeof value === 'string') return value.includes('${') ? [at] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholderPointers(v, `${at}/${i}`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) =>
      placeholderPointers(v, `${at}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`),
    );
  return [];
}
