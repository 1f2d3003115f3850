import { describe, expect, it } from 'vitest';
import { FORMATTERS, type FormatName } from '../../src/report/formatters/index.js';
import { SAMPLE, sampleContext } from './sample.js';

// Expected outputs live in test/fixtures/report/; after an intended change: npx vitest run test/report -u
const GOLDEN: Record<FormatName, string> = {
  text: 'sample.text.txt',
  compact: 'sample.compact.txt',
  json: 'sample.json',
  sarif: 'sample.sarif',
  junit: 'sample.junit.xml',
  github: 'sample.github.txt',
  azure: 'sample.azure.txt',
};

describe('formatters: golden output', () => {
  for (const [format, file] of Object.entries(GOLDEN) as [FormatName, string][]) {
    it(`${format} matches test/fixtures/report/${file}`, async () => {
      await expect(FORMATTERS[format](SAMPLE, sampleContext())).toMatchFileSnapshot(
        `../fixtures/report/${file}`,
      );
    });
  }

  it('every formatter is pure: same input, same output', () => {
    for (const format of Object.keys(FORMATTERS) as FormatName[]) {
      expect(FORMATTERS[format](SAMPLE, sampleContext())).toBe(FORMATTERS[format](SAMPLE, sampleContext()));
    }
  });
});
