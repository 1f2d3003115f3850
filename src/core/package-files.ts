import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file shipped with the package (schemas/, policies/, tools/). */
export function packageFile(relative: string): string {
  // Both src/core (tests) and dist/core (built) sit two levels below the package root.
  return fileURLToPath(new URL(`../../${relative}`, import.meta.url));
}

let version: string | undefined;

export function fluxgateVersion(): string {
  version ??= (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;
  return version;
}
