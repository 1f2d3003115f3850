// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` in plain strings is the syntax under test.
// Flux substitutes a resource's YAML text, not its values (fluxcd/pkg kustomize v1.35
// kustomize_varsub.go: res.AsYAML() = sigs.k8s.io/yaml JSONToYAML, envsubst.Eval, YAMLToJSON). Every
// expected object and error below was checked against those Go functions.
import { describe, expect, it } from 'vitest';
import { fluxYaml, substituteResource } from '../../src/render/varsub/index.js';

const lenient = { strict: false };

describe('substituteResource: the text round trip users rely on', () => {
  it('re-types substituted scalars by YAML 1.1 rules (go-yaml v2 resolve.go)', () => {
    const obj = {
      spec: {
        replicas: '${REPLICAS}',
        paused: '${PAUSED}',
        mode: '${MODE}',
        ratio: '${RATIO}',
        tag: 'v${VERSION}',
        empty: '${EMPTY}',
        // kustomize-controller kustomization_varsub_test.go: `${q}${n}${q}` with q='"' keeps a string,
        quoted: '${Q}${REPLICAS}${Q}',
        // and so does a `!!str` tag in the value.
        forced: '${STR}',
      },
    };
    const vars = {
      REPLICAS: '3',
      PAUSED: 'yes',
      MODE: '0644',
      RATIO: '1e3',
      VERSION: '1.2',
      EMPTY: '',
      Q: '"',
      STR: '!!str 3',
    };
    expect(substituteResource(obj, vars, lenient).object).toEqual({
      spec: {
        replicas: 3,
        paused: true,
        mode: 420,
        ratio: 1000,
        tag: 'v1.2',
        empty: null,
        quoted: '3',
        forced: '3',
      },
    });
  });

  it.each([
    ['0x1F', 31],
    ['08', 8],
    ['~', null],
    ['2024-01-02', '2024-01-02'],
    ['[a, b]', ['a', 'b']],
    ['a #b', 'a'],
    ['!!binary aGk=', 'hi'],
  ])('a value of %j becomes %j', (value, expected) => {
    expect(substituteResource({ a: '${A}' }, { A: value }, lenient).object).toEqual({ a: expected });
  });

  it('substitutes inside embedded JSON, in a literal block and in a single-quoted one-liner', () => {
    const obj = {
      data: {
        'dashboard.json': '{\n  "datasource": "${DS}",\n  "title": "$${title}"\n}\n',
        'inline.json': '{"datasource": "${DS}"}',
      },
    };
    const result = substituteResource(obj, { DS: 'prom' }, lenient);
    expect(result.yaml).toBe(
      'data:\n  dashboard.json: |\n    {\n      "datasource": "${DS}",\n      "title": "$${title}"\n    }\n' +
        `  inline.json: '{"datasource": "\${DS}"}'\n`,
    );
    expect(result.object).toEqual({
      data: {
        'dashboard.json': '{\n  "datasource": "prom",\n  "title": "${title}"\n}\n',
        'inline.json': '{"datasource": "prom"}',
      },
    });
  });

  it('fails like Flux when a value breaks the YAML around it', () => {
    // The `'` ends the single-quoted scalar that go-yaml chose for the embedded JSON.
    const quoted = substituteResource(
      { data: { 'inline.json': '{"datasource": "${DS}"}' } },
      { DS: "it's" },
      lenient,
    );
    expect(quoted.error?.kind).toBe('yaml');
    expect(quoted.error?.message).toMatch(/^envsubst error: YAMLToJSON: yaml: /);
    expect(substituteResource({ data: { note: '${V}' } }, { V: 'a: b' }, lenient).error?.kind).toBe('yaml');
    // go-yaml rejects a tab after `- ` but not after `key: ` (scannerc.go scan_to_next_token).
    expect(substituteResource({ a: ['${A}'] }, { A: '\tx' }, lenient).error?.message).toContain(
      'cannot start any token',
    );
    expect(substituteResource({ a: '${A}' }, { A: '\tx' }, lenient).object).toEqual({ a: 'x' });
    // json.Marshal cannot write an infinity.
    expect(substituteResource({ a: '${A}' }, { A: '.inf' }, lenient).error?.message).toBe(
      'envsubst error: YAMLToJSON: json: unsupported value: +Inf',
    );
  });

  it('interprets escapes when the value lands in a double-quoted scalar (tabs force double quotes)', () => {
    const result = substituteResource({ data: { msg: 'say "${A}"\t' } }, { A: 'x\\ny' }, lenient);
    expect(result.yaml).toBe('data:\n  msg: "say \\"${A}\\"\\t"\n');
    expect(result.object).toEqual({ data: { msg: 'say "x\ny"\t' } });
  });

  it('substitutes keys too; a key that collides with another is overwritten in go-yaml key order', () => {
    const obj = { metadata: { labels: { '${KEY}': 'x', app: 'y' } } };
    expect(substituteResource(obj, { KEY: 'tier' }, lenient).object).toEqual({
      metadata: { labels: { app: 'y', tier: 'x' } },
    });
    expect(substituteResource(obj, { KEY: 'app' }, lenient).object).toEqual({
      metadata: { labels: { app: 'y' } },
    });
    // sigs.k8s.io/yaml convertToJSONableObject turns bool and float keys into strings.
    expect(substituteResource({ a: { '${A}': 1 } }, { A: 'on' }, lenient).object).toEqual({ a: { true: 1 } });
    expect(substituteResource({ a: { '${A}': 1 } }, { A: '1.5' }, lenient).object).toEqual({
      a: { '1.5': 1 },
    });
  });

  it('folds long lines at 80 columns as go-yaml v2 does, also inside a `${...}`', () => {
    const obj = { data: { text: `${'0123456789'.repeat(7)} \${A:-a b} tail` } };
    const result = substituteResource(obj, { X: '1' }, lenient);
    expect(result.yaml).toBe(`data:\n  text: ${'0123456789'.repeat(7)} \${A:-a\n    b} tail\n`);
    expect(result.object).toEqual({ data: { text: `${'0123456789'.repeat(7)} a b tail` } });
  });

  it('treats a plain `<<` key as a YAML merge key, as go-yaml does on the way back', () => {
    expect(substituteResource({ '<<': { a: 1 }, b: 2 }, { X: '1' }, lenient).object).toEqual({ a: 1, b: 2 });
  });

  it('keeps U+2028 in an untouched string (a line break for go-yaml, not for the yaml package)', () => {
    expect(substituteResource({ a: 'x\u2028y', b: '${X}' }, { X: '1' }, lenient).object).toEqual({
      a: 'x\u2028y',
      b: 1,
    });
  });
});

describe('substituteResource: errors and strict mode', () => {
  it('rejects the whole substitution when any variable name is invalid (varSubstitution varsubRegex)', () => {
    const result = substituteResource({ a: '${A}' }, { A: 'x', 'my-key': 'y' }, lenient);
    expect(result.object).toBeUndefined();
    expect(result.error).toEqual({
      kind: 'invalid-var-name',
      message:
        "envsubst error: 'my-key' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'",
    });
  });

  it('reports the first undefined variable in document order, and locates every one', () => {
    const obj = { metadata: { name: '${NAME}' }, data: { a: '${NAME:=d}', b: '${NAME}' } };
    const result = substituteResource(obj, { X: '1' }, { strict: true });
    expect(result.error).toEqual({
      kind: 'undefined-var',
      message: 'envsubst error: variable substitution failed: variable not set (strict mode): "NAME"',
      pointer: '/data/b',
      key: false,
    });
    expect(result.undefinedVars).toEqual([
      { name: 'NAME', pointer: '/data/b', key: false },
      { name: 'NAME', pointer: '/metadata/name', key: false },
    ]);
    // The object is still computed (undefined read as empty), for checks that run after.
    expect(result.object).toEqual({ metadata: { name: null }, data: { a: 'd', b: null } });
  });

  it('reports syntax errors with the string they are in', () => {
    expect(substituteResource({ spec: { x: 'ok', y: '${A' } }, {}, lenient).error).toEqual({
      kind: 'syntax',
      message: 'envsubst error: variable substitution failed: missing closing brace',
      pointer: '/spec/y',
      key: false,
    });
  });
});

describe('substituteResource: provenance', () => {
  it('maps result pointers to the source pointer and the variables read', () => {
    const obj = {
      data: {
        list: '${LIST}',
        plain: 'no vars',
        mixed: 'a-${A}-${B:-b}',
        json: '{"k": "${A}"}',
        'k-${A}': 'v',
      },
    };
    const result = substituteResource(obj, { LIST: '[x, y]', A: 'one' }, lenient);
    expect(result.object).toEqual({
      // `y` is a YAML 1.1 boolean for go-yaml v2.
      data: { list: ['x', true], plain: 'no vars', mixed: 'a-one-b', json: '{"k": "one"}', 'k-one': 'v' },
    });
    expect(result.substituted).toEqual(
      expect.arrayContaining([
        { pointer: '/data/list', sourcePointer: '/data/list', key: false, vars: ['LIST'] },
        { pointer: '/data/list/0', sourcePointer: '/data/list', key: false, vars: ['LIST'] },
        { pointer: '/data/list/1', sourcePointer: '/data/list', key: false, vars: ['LIST'] },
        { pointer: '/data/mixed', sourcePointer: '/data/mixed', key: false, vars: ['A', 'B'] },
        { pointer: '/data/json', sourcePointer: '/data/json', key: false, vars: ['A'] },
        { pointer: '/data/k-one', sourcePointer: '/data/k-${A}', key: true, vars: ['A'] },
      ]),
    );
    expect(result.substituted.some((s) => s.pointer === '/data/plain')).toBe(false);
    expect(result.substituted).toHaveLength(6);
  });

  it('agrees with a per-value substitution wherever the value stays inside its own scalar', () => {
    // Substituting each string on its own would give the same strings here, and the provenance lists
    // exactly those strings; the text route differs only where YAML syntax is involved (tested above).
    const obj = { a: { b: ['x ${A} y', 'multi\nline ${A}\n'], c: 'z' } };
    const result = substituteResource(obj, { A: 'v' }, lenient);
    expect(result.object).toEqual({ a: { b: ['x v y', 'multi\nline v\n'], c: 'z' } });
    expect(result.substituted.map((s) => s.pointer)).toEqual(['/a/b/0', '/a/b/1']);
  });
});

describe('fluxYaml (sigs.k8s.io/yaml JSONToYAML over go-yaml v2 encode.go/emitterc.go)', () => {
  it('sorts keys, does not indent sequences under keys, quotes what would change type', () => {
    const text = fluxYaml({
      spec: {
        b: ['x', { y: 1 }],
        a: '3',
        c: '',
        d: 'yes',
        e: '2024-01-02',
        f: [],
        g: {},
        h: null,
        i: 1.5,
        j: true,
      },
      a10: 1,
      a9: 2,
    }).text;
    expect(text).toBe(
      'a9: 2\na10: 1\nspec:\n  a: "3"\n  b:\n  - x\n  - "y": 1\n  c: ""\n  d: "yes"\n  e: "2024-01-02"\n  f: []\n  g: {}\n  h: null\n  i: 1.5\n  j: true\n',
    );
  });

  it('chooses literal, single- and double-quoted styles as the emitter does', () => {
    expect(fluxYaml({ a: 'l1\nl2\n', b: 'x: y', c: ' lead', d: 'tab\t', e: '😀', f: 'l1\nl2' }).text).toBe(
      'a: |\n  l1\n  l2\nb: \'x: y\'\nc: \' lead\'\nd: "tab\\t"\ne: "\\U0001F600"\nf: |-\n  l1\n  l2\n',
    );
  });
});
