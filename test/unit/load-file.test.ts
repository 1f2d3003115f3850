import { describe, expect, it } from 'vitest';
import { loadFile } from '../../src/load/load-file.js';
import { Placer } from '../../src/load/placer.js';
import { decodeText } from '../../src/load/read-text.js';

function findings(text: string) {
  const loaded = loadFile('f.yaml', text);
  const placer = new Placer(() => text);
  return [...loaded.diagnostics, ...loaded.pending.map((p) => placer.place(p))].map((d) => ({
    ruleId: d.ruleId,
    line: d.line,
    column: d.column,
  }));
}

describe('loadFile', () => {
  it.each([
    {
      name: 'unclosed flow sequence is reported where it was typed, not at end of file',
      text: 'a: 1\nb: [1, 2\n\n',
      expected: [{ ruleId: 'yaml/syntax', line: 2 }],
    },
    {
      name: 'bad indentation',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n   labels: {}\n',
      // The parser sees `name: a` continue on the next line: the mistake spans lines 4-5.
      expected: [{ ruleId: 'yaml/syntax', line: 4 }],
    },
    {
      name: 'duplicate key at the second occurrence',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: 1\n  k: 2\n',
      expected: [{ ruleId: 'yaml/duplicate-key', line: 7, column: 3 }],
    },
    {
      name: 'object without apiVersion is reported at its kind',
      text: '---\nkind: Deployment\nmetadata:\n  name: web\n',
      expected: [{ ruleId: 'yaml/missing-apiversion', line: 2, column: 1 }],
    },
    {
      name: 'object without kind is reported at its apiVersion',
      text: 'metadata:\n  name: web\napiVersion: apps/v1\n',
      expected: [{ ruleId: 'yaml/missing-kind', line: 3, column: 1 }],
    },
  ])('$name', ({ text, expected }) => {
    expect(findings(text)).toMatchObject(expected);
  });

  it.each([
    ['helm values', 'replicaCount: 2\nimage:\n  repository: nginx\n'],
    ['a .sops.yaml', 'creation_rules:\n  - path_regex: .*.yaml\n    encrypted_regex: ^(data|stringData)$\n'],
    ['a pipeline', 'trigger:\n  - main\nsteps:\n  - script: echo hi\n'],
    [
      'a kustomization',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n',
    ],
    ['metadata.name without kind or apiVersion', 'metadata:\n  name: chart-values\n'],
    ['an empty file', ''],
    ['only comments', '# nothing here\n'],
  ])('%s is not a finding', (_name, text) => {
    expect(findings(text)).toEqual([]);
  });

  it('keeps loading the other documents of a file with a syntax error', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n---\nbroken: [\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: three\n';
    const loaded = loadFile('f.yaml', text);
    expect(loaded.diagnostics.map((d) => d.ruleId)).toEqual(['yaml/syntax']);
    expect(loaded.source.resources.map((r) => r.id?.name)).toEqual(['one', 'three']);
    // docIndex stays aligned with the source map: the broken document keeps its slot.
    expect(loaded.source.resources.map((r) => r.docIndex)).toEqual([0, 2]);
  });

  it('names the whole duplicated key', () => {
    const loaded = loadFile('f.yaml', 'env:\n  CACHE_SERVER: a\n  "CACHE_SERVER": b\n');
    expect(loaded.diagnostics[0]?.message).toBe('duplicate key "CACHE_SERVER" in a mapping');
  });

  it('gives documents their identity', () => {
    const loaded = loadFile(
      'f.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n',
    );
    expect(loaded.source.resources[0]?.id).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
    });
  });

  it('reads timestamps as strings and supports merge keys, as Go YAML does', () => {
    const loaded = loadFile('f.yaml', 'base: &b\n  x: 1\nitem:\n  <<: *b\n  y: 2\nwhen: 2024-01-01\n');
    expect(loaded.source.resources[0]?.value).toEqual({
      base: { x: 1 },
      item: { x: 1, y: 2 },
      when: '2024-01-01',
    });
  });

  it('accepts the same anchor defined twice in one file', () => {
    const text = 'a: &x 1\nb: *x\nc: &x 2\nd: *x\n';
    expect(findings(text)).toEqual([]);
    expect(loadFile('f.yaml', text).source.resources[0]?.value).toEqual({ a: 1, b: 1, c: 2, d: 2 });
  });

  it('reads CRLF files with correct lines', () => {
    const text =
      'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: a\r\ndata:\r\n  k: 1\r\n  k: 2\r\n';
    expect(findings(text)).toEqual([{ ruleId: 'yaml/duplicate-key', line: 7, column: 3 }]);
  });
});

describe('decodeText', () => {
  const yaml = 'kind: ConfigMap\n';
  it('strips a UTF-8 BOM', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(yaml)]))).toBe(yaml);
  });
  it('reads UTF-16 LE and BE with a BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(yaml, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    expect(decodeText(le)).toBe(yaml);
    expect(decodeText(be)).toBe(yaml);
  });
});
