import type { SecretSet } from '../core/secret-set.js';
import type { CliIo } from './io.js';

/** `--debug` lines on stderr, scrubbed of the secret values known when each is written. */
export function debugWriter(io: CliIo, secrets: SecretSet): (message: string) => void {
  return (message) => io.stderr.write(`[debug] ${secrets.scrub(message)}\n`);
}
