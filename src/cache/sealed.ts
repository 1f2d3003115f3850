import { createHash } from 'node:crypto';

/** The first bytes of a sealed entry: the format, so an entry of another format is a miss. */
const MAGIC = Buffer.from('FGS1');
const DIGEST_BYTES = 32;

/**
 * An entry's bytes with a SHA-256 digest of them in front. A cache entry damaged on disk (a flipped
 * bit, an edited byte) must be a miss, not a wrong answer: a value that still deserializes can say
 * anything.
 */
export function seal(payload: Uint8Array): Buffer {
  return Buffer.concat([MAGIC, createHash('sha256').update(payload).digest(), payload]);
}

/** The payload of a sealed entry, or undefined when it is damaged (or not sealed at all). */
export function unseal(bytes: Uint8Array): Buffer | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < MAGIC.length + DIGEST_BYTES || !buffer.subarray(0, MAGIC.length).equals(MAGIC))
    return undefined;
  const digest = buffer.subarray(MAGIC.length, MAGIC.length + DIGEST_BYTES);
  const payload = buffer.subarray(MAGIC.length + DIGEST_BYTES);
  return createHash('sha256').update(payload).digest().equals(digest) ? payload : undefined;
}
