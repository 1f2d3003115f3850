import { readFileSync } from 'node:fs';

/**
 * Reads a manifest as Flux does: UTF-8 with or without a BOM, or UTF-16 with a BOM.
 * CRLF is kept; both YAML parsers treat it as a line break.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder().decode(bytes.subarray(3));
  return new TextDecoder().decode(bytes);
}

/** Synchronous: for many small files, faster than a round trip to the thread pool per file. */
export function readText(absolutePath: string): string {
  return decodeText(readFileSync(absolutePath));
}
