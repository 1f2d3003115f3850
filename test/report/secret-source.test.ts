import { describe, expect, it } from 'vitest';
import { secretSource } from '../../src/report/secret-source.js';

const lines = (text: string) => Object.fromEntries(secretSource(text).lines);

describe('secretSource: the lines of a Secret that hold values, by structure', () => {
  it('a Secret inside a List, with a repeated key', () => {
    const text = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: c}
  - kind: Secret
    stringData:
      token: one-value
      token: two-value
  - kind: ConfigMap
`;
    expect(lines(text)).toEqual({ 9: 'value', 10: 'value' });
    expect(secretSource(text).values).toEqual(expect.arrayContaining(['one-value', 'two-value']));
  });

  it('a mis-indented continuation line, a block scalar, a commented value, a flow mapping', () => {
    const text = `kind: Secret
stringData:
  password: first
 continued
  key.pem: |
    -----BEGIN KEY-----
    abc: def
# old: value
  other: x
data: {a: b,
  c: d}
metadata:
  name: s
`;
    expect(lines(text)).toEqual({
      3: 'value',
      4: 'all',
      5: 'value',
      6: 'all',
      7: 'all',
      8: 'all',
      9: 'value',
      10: 'value',
      11: 'all',
    });
    expect(secretSource(text).values).toEqual(expect.arrayContaining(['continued', 'abc: def']));
  });

  it('nothing for files without a Secret', () => {
    expect(lines('kind: ConfigMap\ndata:\n  a: b\n')).toEqual({});
  });
});
