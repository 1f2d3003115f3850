import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The SARIF 2.1.0 JSON schema as Microsoft's SARIF SDK ships it (npm @microsoft/jest-sarif,
 * lib/schemas/sarif-2.1.0-rtm.5.json): the 2.1.0 release schema ("rtm.5", draft-04). The OASIS
 * errata01 edition only adds `type: string` to enums, fixes the `language` pattern and requires a
 * region to have startLine, charOffset or byteOffset (asserted in test/report/sarif.test.ts).
 */
export function sarifSchema(): Record<string, unknown> {
  const file = createRequire(import.meta.url).resolve(
    '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
  );
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}
