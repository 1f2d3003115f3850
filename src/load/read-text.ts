import { FileTooLargeError, NotRegularFileError, readRegularFile } from '../core/read-regular.js';
import { type DecodedSource, decodeSource } from './decode-source.js';
import { formatBytes, MAX_FILE_BYTES } from './yaml-limits.js';

/**
 * Reads a manifest as Flux does: UTF-8 with or without a BOM, or UTF-16 with a BOM.
 * CRLF is kept; both YAML parsers treat it as a line break. Bytes that do not decode become
 * U+FFFD (decodeSource says where they are).
 */
export function decodeText(bytes: Uint8Array): string {
  return decodeSource(bytes).text;
}

/**
 * Reads a repository file for the load stage. Only a regular file is read (a FIFO would block
 * forever), and not one past MAX_FILE_BYTES; what cannot be read is said in `invalid`, at the
 * file's start, so the run goes on and reports it.
 */
export function readSource(absolutePath: string): DecodedSource {
  try {
    return decodeSource(readRegularFile(absolutePath, { maxBytes: MAX_FILE_BYTES }));
  } catch (error) {
    if (error instanceof FileTooLargeError)
      return {
        text: '',
        invalid: {
          offset: 0,
          ruleId: 'yaml/too-large',
          message: `file is ${formatBytes(error.size)}: fluxgate does not read YAML files larger than ${formatBytes(MAX_FILE_BYTES)} (no object Flux can apply is that large)`,
        },
      };
    // Replaced by a FIFO or removed since the walk: there is nothing to read.
    if (error instanceof NotRegularFileError || (error as NodeJS.ErrnoException).code === 'ENOENT')
      return { text: '' };
    return {
      text: '',
      invalid: { offset: 0, message: `cannot read the file: ${(error as Error).message}` },
    };
  }
}
