// Reads files out of a Go module zip (the Go module proxy's format: a plain zip, every entry
// under `<module>@<version>/`). Read from the zip rather than the extracted directory: `go mod
// download` leaves the zip in the module cache even when it refuses to extract a module whose
// go.mod asks for a newer Go than the machine has, and the CRDs are only data.
// https://go.dev/ref/mod#zip-files
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** The path inside the module (the `<module>@<version>/` prefix removed). */
  name: string;
  read: () => Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function moduleZipEntries(file: string): ZipEntry[] {
  const data = readFileSync(file);
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes (its comment is at most 64 KiB).
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 65_557); i--)
    if (data.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new Error(`${file}: not a zip file`);
  const count = data.readUInt16LE(eocd + 10);
  let at = data.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (data.readUInt32LE(at) !== CENTRAL) throw new Error(`${file}: bad central directory`);
    const method = data.readUInt16LE(at + 10);
    const compressed = data.readUInt32LE(at + 20);
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    const local = data.readUInt32LE(at + 42);
    const fullName = data.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    // `<module>@<version>/`: the module path has slashes, the version none.
    const slash = fullName.indexOf('/', fullName.indexOf('@'));
    if (slash < 0 || fullName.endsWith('/')) continue;
    entries.push({
      name: fullName.slice(slash + 1),
      read: () => {
        if (data.readUInt32LE(local) !== LOCAL) throw new Error(`${file}: bad local header of ${fullName}`);
        const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
        const raw = data.subarray(start, start + compressed);
        if (method === 0) return Buffer.from(raw);
        if (method === 8) return inflateRawSync(raw);
        throw new Error(`${file}: ${fullName} uses zip method ${method}`);
      },
    });
  }
  return entries;
}
