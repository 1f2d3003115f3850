import { describe, expect, it } from 'vitest';
import { decodeSource } from '../../src/load/decode-source.js';
import { needsCarefulRead } from '../../src/load/go-yaml-text.js';
import { loadFile } from '../../src/load/load-file.js';
import { Placer } from '../../src/load/placer.js';

// What go-yaml (go.yaml.in/yaml v2.4 and v3.0, the decoders of kustomize-controller v1.9) refuses
// and JavaScript's parsers accept. Each expectation was checked against go-yaml itself.

function findings(source: string | Uint8Array) {
  const decoded = typeof source === 'string' ? { text: source } : decodeSource(source);
  const loaded = loadFile('f.yaml', decoded);
  const placer = new Placer(() => loaded.source.text);
  return {
    found: [...loaded.diagnostics, ...loaded.pending.map((p) => placer.place(p))].map((d) => ({
      ruleId: d.ruleId,
      line: d.line,
      column: d.column,
      message: d.message,
    })),
    resources: loaded.source.resources.length,
  };
}

const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${data}`;

function listBomb(levels: number): string {
  const lines = ['x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `x${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

function mergeBomb(levels: number): string {
  const lines = ['a0: &a0 {k: v}'];
  for (let i = 1; i <= levels; i++) {
    const items = Array.from({ length: 10 }, (_, j) => `k${j}: {<<: *a${i - 1}}`).join(', ');
    lines.push(`a${i}: &a${i} {${items}}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `count` mappings merging one 50-key mapping twice: go-yaml v3 reads 2,500 of them, not 3,000. */
function mergedList(count: number): string {
  const base = Array.from({ length: 50 }, (_, i) => `k${i}: v`).join(', ');
  return `base: &b {${base}}\nlist:\n${'  - {<<: [*b, *b]}\n'.repeat(count)}`;
}

describe("go-yaml's rules at load", () => {
  it.each([
    ['%YAML 1.2 (go-yaml reads only 1.1)', '%YAML 1.2\n---\na: b\n', 1, 1, 'incompatible YAML document'],
    ['%YAML 9.0', '%YAML 9.0\n---\na: b\n', 1, 1, 'incompatible YAML document'],
    ['an unknown directive', '%FOO bar\n---\na: b\n', 1, 1, 'unknown directive name %FOO'],
    ['a duplicate %TAG', '%TAG ! !a\n%TAG ! !b\n---\na: b\n', 2, 1, 'duplicate %TAG'],
    ['a flow sequence as a key', cm('  [a, b]: c\n'), 6, 3, 'invalid map key'],
    ['a flow mapping as a key', cm('  {a: 1}: c\n'), 6, 3, 'invalid map key'],
    ['an explicit sequence key', '? [a, b]\n: c\n', 1, 3, 'invalid map key'],
    ['an alias of a sequence as a key', 'a: &s [1]\n*s : b\n', 2, 1, 'invalid map key'],
    ['an implicit key past 1024 characters', `${'k'.repeat(1025)}: v\n`, 1, 1, 'longer than 1024'],
    ['a flow implicit key past 1024 characters', `x: {${'k'.repeat(1100)}: v}\n`, 1, 5, 'longer than 1024'],
    ['a lone surrogate escape', cm('  a: "\\ud800"\n'), 6, 7, 'invalid Unicode character escape'],
    ['an escaped surrogate pair', cm('  a: "\\ud83d\\ude00"\n'), 6, 7, 'invalid Unicode character escape'],
    ['an undefined alias', cm('  a: *nope\n'), 6, 6, "unknown anchor 'nope' referenced"],
    ['an anchor containing its alias', 'a: &a [1, *a]\n', 1, 11, "anchor 'a' value contains itself"],
    ['a tab on a blank line of a block scalar', 'a: |\n  x\n\t\nb: 1\n', 3, 1, 'found a tab character'],
    ['a NUL byte', cm('  a: b\0c\n'), 6, 7, 'U+0000'],
    ['DEL', cm('  a: b\x7f\n'), 6, 7, 'U+007F'],
    ['a C1 control character', cm('  a: b\u0080\n'), 6, 7, 'U+0080'],
    ['U+FFFE', cm('  a: \ufffe\n'), 6, 6, 'U+FFFE'],
    ['a control character in a comment', '# \x01\na: b\n', 1, 3, 'U+0001'],
    // An expansion is reported at the alias whose expansion crossed the line.
    ['a ten-wide alias list nested 3 levels', listBomb(3), 4, undefined, 'excessive aliasing'],
    ['a ten-wide alias list nested 10 levels', listBomb(10), 4, undefined, 'excessive aliasing'],
    ['a merge-key bomb', mergeBomb(8), 5, undefined, 'excessive aliasing'],
    ['merges past the ratio', mergedList(3000), undefined, undefined, 'excessive aliasing'],
    [
      'nesting past 10,000 levels',
      `a: ${'['.repeat(10_001)}${']'.repeat(10_001)}\n`,
      1,
      10_003,
      'max depth of 10000',
    ],
    ['100,000 levels', `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, 1, 10_003, 'max depth of 10000'],
  ])('%s is yaml/syntax at its line', (_name, text, line, column, message) => {
    const { found, resources } = findings(text);
    expect(found).toMatchObject([
      { ruleId: 'yaml/syntax', ...(line ? { line } : {}), ...(column ? { column } : {}) },
    ]);
    expect(found[0]!.message).toContain(message);
    expect(resources).toBe(0);
  });

  it.each([
    ['%YAML 1.1', '%YAML 1.1\n---\na: b\n'],
    ['a %TAG directive', '%TAG !e! tag:example.com,2000:\n---\na: !e!x b\n'],
    ['a key of 1024 characters', `${'k'.repeat(1024)}: v\n`],
    ['an explicit long key', `? ${'k'.repeat(2000)}\n: v\n`],
    ['an escaped astral character', 'a: "\\U0001F600"\n'],
    ['an escaped NUL in a double-quoted string', 'a: "b\\0c"\n'],
    ['a tab inside a block scalar, after its indentation', 'a: |\n  x\n  \ty\n'],
    ['an anchor defined twice', 'a: &x 1\nb: &x 2\nc: *x\n'],
    ['a few aliases', 'base: &b {a: 1}\nx: *b\ny: [*b, *b]\nz: {<<: *b, c: 2}\n'],
    ['merges within the ratio', mergedList(2500)],
    // What sends a file to the careful read without being a problem.
    ['"]: " in a string', 'note: "[a]: b"\n'],
    ['" &" in a plain scalar', 'note: salt &pepper\n'],
  ])('%s is read', (_name, text) => {
    const { found, resources } = findings(text);
    expect(found).toEqual([]);
    expect(resources).toBe(1);
  });

  it('a latin-1 file is reported at the first byte that is not UTF-8', () => {
    const bytes = Buffer.from(cm('  a: b\n  city: Besan\xe7on\n'), 'latin1');
    const { found } = findings(bytes);
    expect(found).toMatchObject([{ ruleId: 'yaml/syntax', line: 7, column: 14 }]);
    expect(found[0]!.message).toContain('byte 0xe7 is not valid UTF-8');
  });

  it('random bytes saved as .yaml are one finding, nothing read', () => {
    const bytes = Uint8Array.from({ length: 512 }, (_, i) => (i * 151 + 7) % 256);
    const { found, resources } = findings(bytes);
    expect(found).toHaveLength(1);
    expect(found[0]!.ruleId).toBe('yaml/syntax');
    expect(resources).toBe(0);
  });

  it('UTF-16 with a byte order mark is read; an unpaired surrogate in it is not', () => {
    const text = cm('  a: b\n');
    const good = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(findings(good)).toEqual({ found: [], resources: 1 });
    const bad = Buffer.concat([good, Buffer.from([0x00, 0xd8, 0x41, 0x00])]);
    expect(findings(bad).found).toMatchObject([{ ruleId: 'yaml/syntax', line: 7 }]);
  });
});

describe('yaml/too-large', () => {
  it('a document past 3 MiB is reported at its first line and not read; the others are', () => {
    const text = `${cm('  a: b\n')}---\n${cm(`  big: ${'x'.repeat(4 * 1024 * 1024)}\n`)}---\n${cm('  c: d\n')}`;
    const loaded = loadFile('f.yaml', text);
    expect(loaded.diagnostics).toMatchObject([{ ruleId: 'yaml/too-large', line: 7, column: 1 }]);
    expect(loaded.diagnostics[0]!.message).toContain('4.0 MiB');
    expect(loaded.source.resources.map((r) => r.docIndex)).toEqual([0, 1]);
    // Lines stay where they were; the large value is not kept.
    expect(loaded.source.text.split('\n')).toHaveLength(text.split('\n').length);
    expect(loaded.source.text.length).toBeLessThan(1000);
  });

  it('aliases that expand past 3 MiB', () => {
    const text = `a: &a "${'x'.repeat(100_000)}"\nb: [${Array(40).fill('*a').join(', ')}]\n`;
    expect(findings(text).found).toMatchObject([{ ruleId: 'yaml/too-large', line: 2 }]);
  });
});

describe('yaml/invalid-identity', () => {
  it.each([
    ['a number as metadata.name', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 123\n', 4, '(123)'],
    [
      'a boolean as metadata.namespace',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: true\n',
      5,
      '(true)',
    ],
    ['a number as kind', 'apiVersion: v1\nkind: 5\nmetadata:\n  name: a\n', 2, '(5)'],
    [
      'a mapping as metadata.name',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {a: 1}\n',
      4,
      'a mapping',
    ],
  ])('%s is reported at the field', (_name, text, line, message) => {
    const { found } = findings(text);
    expect(found).toMatchObject([{ ruleId: 'yaml/invalid-identity', line }]);
    expect(found[0]!.message).toContain(message);
  });

  it('a quoted number is a name', () => {
    expect(findings('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "123"\n').found).toEqual([]);
  });
});

describe('which files take the careful read', () => {
  // A CRD's CEL rules and descriptions: `? :`, `&&`, `*Warning*` are text, not YAML indicators.
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.example.com
spec:
  versions:
    - name: v1
      schema:
        openAPIV3Schema:
          description: |-
            *Warning: this field is deprecated.*
          x-kubernetes-validations:
            - rule: '!has(self.a) || (has(self.b) && self.b == ''x'')'
            - rule: "self.size() == 0 || has(self.c) ? self.c > 1 : true"
          properties:
            line: {type: string, description: 'see *this* & that'}
`;

  it('a CRD with CEL rules and emphasis in its text is read fast (js-yaml), with go-yaml rules met', () => {
    expect(needsCarefulRead(crd)).toBe(false);
    expect(loadFile('crd.yaml', crd).diagnostics).toEqual([]);
  });

  it('anchors whose aliases repeat a collection, or stand as a key, still go to the careful read', () => {
    expect(loadFile('a.yaml', 'a: &s [1]\n*s : b\n').diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining('invalid map key'),
    ]);
    // Shared once is fine for go-yaml; the careful read counts it and finds nothing.
    expect(loadFile('b.yaml', 'a: &s [1, 2]\nb: *s\n').diagnostics).toEqual([]);
  });
});
