import { describe, expect, it } from 'vitest';
import { REDACTED, SecretSet } from '../../src/core/secret-set.js';

const set = (...values: (string | Uint8Array | number)[]) => {
  const secrets = new SecretSet();
  for (const v of values) secrets.add(v);
  return secrets;
};

describe('SecretSet.scrub', () => {
  it('finds a value as is, JSON- and YAML-escaped, without or with folded newlines, line by line', () => {
    const secrets = set('pa"ss\nwo\'rd-line2');
    for (const text of [
      'x pa"ss\nwo\'rd-line2 y',
      JSON.stringify('pa"ss\nwo\'rd-line2'),
      "'pa\"ss\nwo''rd-line2'",
      'pa"sswo\'rd-line2',
      'pa"ss wo\'rd-line2',
      "only wo'rd-line2 here",
    ])
      expect(secrets.scrub(text), text).toContain(REDACTED);
    expect(secrets.scrub("only wo'rd-line2 here")).toBe(`only ${REDACTED} here`);
  });

  it('finds base64 and the decimal bytes Go prints for a []byte, inside a longer list', () => {
    const secrets = set(Buffer.from([0x41, 0x42, 0xff, 0x43, 0x44]));
    expect(secrets.scrub('line [61 65 66 255 67 68 10] has invalid utf8')).not.toContain('65 66 255 67 68');
    expect(secrets.scrub(Buffer.from([0x41, 0x42, 0xff, 0x43, 0x44]).toString('base64'))).toBe(REDACTED);
    expect(secrets.scrub(`x ${Buffer.from([0x41, 0x42, 0xff, 0x43, 0x44]).toString('utf8')} y`)).toBe(
      `x ${REDACTED} y`,
    );
  });

  it('finds a value cut short by a truncation mark, and numbers', () => {
    const long = `s3cret-${'a'.repeat(80)}`;
    const secrets = set(long, 918273645501928);
    expect(secrets.scrub(`found "${long.slice(0, 57)}..."`)).toBe(`found "${REDACTED}..."`);
    expect(secrets.scrub(`found ${long.slice(0, 20)}…`)).toBe(`found ${REDACTED}…`);
    // Without a mark, a common beginning is not the value.
    expect(secrets.scrub(`found ${long.slice(0, 20)} and more`)).toBe(`found ${long.slice(0, 20)} and more`);
    expect(secrets.scrub('integer 918273645501928')).toBe(`integer ${REDACTED}`);
  });

  it('leaves short values and text without secrets alone', () => {
    const secrets = set('abc', 'longer-secret');
    expect(secrets.scrub('abc abcd')).toBe('abc abcd');
    expect(secrets.scrub('nothing here')).toBe('nothing here');
    expect(secrets.scrub('a longer-secret and longer-secret')).toBe(`a ${REDACTED} and ${REDACTED}`);
  });
});
