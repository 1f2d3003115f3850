import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';

/** A file named by --format FORMAT=FILE is written whole or not at all: a temporary file beside it, renamed. */
export function writeAtomic(file: string, content: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temp, content);
    renameSync(temp, file);
  } catch (error) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // The directory itself is unusable: there is no temporary file to remove.
    }
    throw new UsageError(`cannot write ${file}: ${(error as Error).message}`, { cause: error });
  }
}
