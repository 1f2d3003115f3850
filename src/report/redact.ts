import type { Diagnostic } from '../core/diagnostic.js';
import { REDACTED, type SecretSet } from '../core/secret-set.js';
import type { LineRedaction } from './secret-source.js';

export { REDACTED } from '../core/secret-set.js';

/**
 * A source line inside a Secret's data as a code frame shows it: `value` keeps the key of a
 * `key: value` line for context; `all` (a continuation line, a block scalar's line) keeps nothing.
 */
export function redactLine(text: string, how: LineRedaction = 'value'): string {
  if (text.trim() === '') return text;
  const indent = /^\s*/.exec(text)![0];
  if (how === 'all') return `${indent}${REDACTED}`;
  const match = /^(\s*(?:-\s+)?(?:"[^"]*"|'[^']*'|[^\s:#][^:#]*):)(\s*).*$/.exec(text);
  return match ? `${match[1]}${match[2] || ' '}${REDACTED}` : `${indent}${REDACTED}`;
}

/** Every text of a finding that may quote a value, scrubbed. */
export function redactDiagnostics(diagnostics: readonly Diagnostic[], secrets: SecretSet): Diagnostic[] {
  if (secrets.size === 0) return [...diagnostics];
  return diagnostics.map((d) => ({
    ...d,
    message: secrets.scrub(d.message),
    ...(d.path !== undefined ? { path: secrets.scrub(d.path) } : {}),
    ...(d.resource
      ? {
          resource: {
            ...d.resource,
            name: secrets.scrub(d.resource.name),
            ...(d.resource.namespace !== undefined ? { namespace: secrets.scrub(d.resource.namespace) } : {}),
          },
        }
      : {}),
  }));
}
