import type { CliIo } from './io.js';

/**
 * A fact about the run the user must know, outside the report (stderr: the formats on stdout stay
 * parseable): e.g. which kustomize rendered when it is not the one fluxgate ships.
 */
export function writeNotice(
  io: CliIo,
  notice: { severity: 'warning' | 'info'; message: string } | undefined,
  quiet: boolean,
): void {
  if (!notice || (quiet && notice.severity === 'info')) return;
  io.stderr.write(`fluxgate: ${notice.severity === 'warning' ? 'warning: ' : ''}${notice.message}\n`);
}
