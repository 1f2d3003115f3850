import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

/** A path that names something other than a regular file (a FIFO, socket, device or directory). */
export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
}

/** A regular file larger than the caller reads. */
export class FileTooLargeError extends Error {
  readonly code = 'EFBIG';
  constructor(
    message: string,
    readonly size: number,
  ) {
    super(message);
  }
}

/**
 * Reads a repository file only if it is a regular file. A FIFO named `x.yaml` or
 * `.fluxgate.yaml` would block the read forever, and a link to `/dev/zero` never ends: neither is
 * in a Git clone (Git stores regular files and links only), so neither is in Flux's artifact.
 * Opening with O_NONBLOCK returns at once even for a FIFO without a writer; fstat then judges
 * what was opened, not what the path named a moment before. With `maxBytes`, a larger file is
 * not read at all.
 */
export function readRegularFile(file: string, options: { maxBytes?: number } = {}): Buffer {
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new NotRegularFileError('not a regular file (a FIFO, socket or device)');
    if (options.maxBytes !== undefined && stat.size > options.maxBytes)
      throw new FileTooLargeError(`${stat.size} bytes`, stat.size);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
