// Flux postBuild substitutes `${var}` only (https://github.com/fluxcd/pkg/tree/main/envsubst);
// a template filled by a shell or gettext's envsubst (a Taskfile's `envsubst < job.tmpl.yaml |
// kubectl apply -f -`) also substitutes `$var`.
const FLUX_VARIABLE = /\$\{/;
const SHELL_VARIABLE = /\$\{|\$[A-Za-z_]/;

/**
 * JSON pointers (RFC 6901) of the strings holding a variable: `${...}`, and with `shell` also
 * `$name`. In a manifest no Flux Kustomization substitutes (a template, a file checked as
 * written), their values are unknown.
 */
export function placeholderPointers(value: unknown, options: { shell?: boolean } = {}, at = ''): string[] {
  if (typeof value === 'string')
    return (options.shell ? SHELL_VARIABLE : FLUX_VARIABLE).test(value) ? [at] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholderPointers(v, options, `${at}/${i}`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) =>
      placeholderPointers(v, options, `${at}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`),
    );
  return [];
}
