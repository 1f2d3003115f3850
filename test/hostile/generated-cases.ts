// Hostile inputs generated with fast-check: random mutations of valid manifests whose verdict is
// known (a control character, a byte that is not UTF-8, an alias bomb, nesting past go-yaml's
// limit, a non-string name, a duplicate key, a build reading outside the repository), random
// valid manifests that must pass silently, and free YAML-token noise that must only never crash.
// The seed is fixed so a failure names a case that can be rebuilt; FLUXGATE_HOSTILE_SEED varies it.
import fc from 'fast-check';
import {
  aliasBomb,
  cm,
  deepFlow,
  deepFlowMap,
  type HostileCase,
  kustomization,
  mergeBomb,
} from './hostile-case.js';

const SEED = Number(process.env.FLUXGATE_HOSTILE_SEED ?? 19);

function sample<T>(arb: fc.Arbitrary<T>, n: number, salt: number): T[] {
  return fc.sample(arb, { numRuns: n, seed: SEED + salt });
}

const key = fc.stringMatching(/^[a-z][a-zA-Z0-9_-]{0,24}$/);
/** Printable ASCII, written as a double-quoted scalar (JSON's escapes are YAML's). */
const value = fc.string({ unit: 'grapheme-ascii', maxLength: 200 }).map((s) => JSON.stringify(s));
const data = fc.dictionary(key, value, { minKeys: 1, maxKeys: 12 }).map((d) =>
  Object.entries(d)
    .map(([k, v]) => `  ${k}: ${v}\n`)
    .join(''),
);

const syntax = (file: string, message?: string) => ({
  file,
  ruleId: 'yaml/syntax',
  ...(message ? { message } : {}),
});

/** go-yaml refuses these anywhere in a file: not printable (yaml_reader's is_printable). */
const CONTROL = [...Array(0x20).keys()].filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d).concat(0x7f);

function insert(text: string, at: number, piece: string): string {
  const i = at % (text.length + 1);
  return text.slice(0, i) + piece + text.slice(i);
}

/** Valid ConfigMaps, also as UTF-16 with a byte order mark: silence. */
function validCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  sample(data, 40, 1).forEach((d, i) => {
    const name = `gen-valid-${i}`;
    cases.push({ name, files: { 'cm.yaml': cm(name, d) }, silent: true });
  });
  sample(fc.tuple(data, fc.boolean()), 10, 2).forEach(([d, bigEndian], i) => {
    const name = `gen-utf16-${i}`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(cm(name, d), 'utf16le')]);
    cases.push({ name, files: { 'cm.yaml': bigEndian ? Buffer.from(le).swap16() : le }, silent: true });
  });
  return cases;
}

/** One character go-yaml refuses, or one byte that is not UTF-8 (latin-1), at a random place. */
function badCharacterCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  const control = fc.tuple(data, fc.nat(), fc.constantFrom(...CONTROL), fc.boolean());
  sample(control, 40, 3).forEach(([d, at, code, rendered], i) => {
    const name = `gen-control-${i}`;
    const text = insert(cm(name, d), at, String.fromCharCode(code));
    cases.push(
      rendered
        ? {
            name,
            files: { 'kustomization.yaml': kustomization(['cm.yaml']), 'cm.yaml': text },
            flux: {},
            expect: [syntax('cm.yaml'), { file: 'kustomization.yaml', ruleId: 'kustomize/build-failed' }],
          }
        : { name, files: { 'cm.yaml': text }, expect: [syntax('cm.yaml')] },
    );
  });
  const latin1 = fc.tuple(data, fc.nat(), fc.integer({ min: 0x80, max: 0xff }));
  sample(latin1, 30, 4).forEach(([d, at, byte], i) => {
    const name = `gen-latin1-${i}`;
    const text = Buffer.from(cm(name, d), 'latin1');
    const k = at % (text.length + 1);
    const bytes = Buffer.concat([text.subarray(0, k), Buffer.from([byte]), text.subarray(k)]);
    cases.push({ name, files: { 'cm.yaml': bytes }, expect: [syntax('cm.yaml', 'not valid UTF-8')] });
  });
  // Random bytes with at least one that UTF-8 never has, not starting like a byte order mark.
  const bytes = fc.tuple(
    fc.uint8Array({ minLength: 1, maxLength: 4096 }),
    fc.nat(),
    fc.constantFrom(0xc0, 0xff),
  );
  sample(bytes, 25, 5).forEach(([raw, at, bad], i) => {
    const content = Buffer.concat([Buffer.from('ab'), Buffer.from(raw)]);
    content[2 + (at % raw.length)] = bad;
    cases.push({ name: `gen-bytes-${i}`, files: { 'x.yaml': content }, expect: [syntax('x.yaml')] });
  });
  return cases;
}

/** Alias bombs of random depth and width, plain or through merge keys; nesting past 10,000. */
function structureCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  const bomb = fc.tuple(fc.integer({ min: 7, max: 10 }), fc.integer({ min: 8, max: 12 }), fc.boolean());
  sample(bomb, 12, 6).forEach(([levels, width, merge], i) => {
    cases.push({
      name: `gen-alias-bomb-${i}`,
      files: { 'bomb.yaml': merge ? mergeBomb(levels) : aliasBomb(levels, width) },
      expect: [syntax('bomb.yaml', 'excessive aliasing')],
    });
  });
  const deep = fc.tuple(fc.integer({ min: 10_001, max: 40_000 }), fc.boolean());
  sample(deep, 10, 7).forEach(([depth, map], i) => {
    cases.push({
      name: `gen-too-deep-${i}`,
      files: { 'x.yaml': `a: ${map ? deepFlowMap(depth) : deepFlow(depth)}\n` },
      expect: [syntax('x.yaml', 'max depth of 10000')],
    });
  });
  // Deep, but within what Flux reads: checked like any value (a list where strings belong).
  sample(fc.integer({ min: 50, max: 3000 }), 10, 8).forEach((depth, i) => {
    const name = `gen-deep-value-${i}`;
    cases.push({
      name,
      files: { 'cm.yaml': cm(name, `  k: ${deepFlow(depth)}\n`) },
      expect: [{ file: 'cm.yaml', ruleId: 'schema/invalid' }],
    });
  });
  return cases;
}

/** Identity fields that YAML reads as numbers or booleans; a key written twice. */
function fieldCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  const scalar = fc.oneof(
    fc.integer().map(String),
    fc
      .double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })
      .map((n) => (Number.isInteger(n) ? `${n}.5` : String(n))),
    fc.constantFrom('true', 'false'),
  );
  const identity = fc.tuple(fc.constantFrom('name', 'namespace'), scalar);
  sample(identity, 20, 9).forEach(([field, raw], i) => {
    const name = `gen-identity-${i}`;
    const meta =
      field === 'name' ? `  name: ${raw}\n  namespace: default\n` : `  name: ${name}\n  namespace: ${raw}\n`;
    cases.push({
      name,
      files: { 'x.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n${meta}data:\n  a: b\n` },
      expect: [{ file: 'x.yaml', ruleId: 'yaml/invalid-identity', message: `metadata.${field}` }],
    });
  });
  const duplicate = fc.tuple(fc.dictionary(key, value, { minKeys: 1, maxKeys: 10 }), fc.nat(), value);
  sample(duplicate, 20, 10).forEach(([d, at, again], i) => {
    const name = `gen-duplicate-${i}`;
    const entries = Object.entries(d);
    const [k] = entries[at % entries.length]!;
    const lines = entries.map(([a, b]) => `  ${a}: ${b}\n`);
    lines.splice((at % entries.length) + 1, 0, `  ${k}: ${again}\n`);
    cases.push({
      name,
      files: { 'cm.yaml': cm(name, lines.join('')) },
      expect: [{ file: 'cm.yaml', ruleId: 'yaml/duplicate-key' }],
    });
  });
  return cases;
}

/** Kustomizations reading what is not there or outside the repository; long images lists. */
function buildCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  const outside = fc.oneof(
    fc.integer({ min: 3, max: 14 }).map((n) => `${'../'.repeat(n)}etc/passwd`),
    fc.constantFrom('/etc/passwd', '/etc/hostname', '/proc/self/environ', '/dev/zero'),
    fc.stringMatching(/^[a-z]{1,12}$/).map((s) => `missing-${s}.yaml`),
  );
  const field = fc.constantFrom('resources', 'generator', 'patch');
  sample(fc.tuple(outside, field, fc.boolean()), 24, 11).forEach(([target, where, rendered], i) => {
    const name = `gen-reach-${i}`;
    const body =
      where === 'resources'
        ? kustomization(['cm.yaml', target])
        : where === 'generator'
          ? kustomization(
              ['cm.yaml'],
              `configMapGenerator:\n  - name: stolen\n    files:\n      - ${target}\n`,
            )
          : kustomization(['cm.yaml'], `patches:\n  - path: ${target}\n`);
    cases.push({
      name,
      files: { 'kustomization.yaml': body, 'cm.yaml': cm(name) },
      ...(rendered ? { flux: {} } : {}),
      expect: [{ file: 'kustomization.yaml', ruleId: 'kustomize/build-failed' }],
    });
  });
  const images = (n: number, indent: string) =>
    Array.from(
      { length: n },
      (_, j) => `${indent}- name: registry.example.com/i${j}\n${indent}  newTag: v${j}\n`,
    ).join('');
  sample(fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.boolean()), 10, 12).forEach(([n, flux], i) => {
    const name = `gen-images-${i}`;
    cases.push(
      flux
        ? {
            name,
            files: { 'kustomization.yaml': kustomization(['cm.yaml']), 'cm.yaml': cm(name) },
            flux: { spec: `  images:\n${images(n, '    ')}` },
            silent: true,
          }
        : {
            name,
            files: {
              'kustomization.yaml': kustomization(['cm.yaml'], `images:\n${images(n, '  ')}`),
              'cm.yaml': cm(name),
            },
            silent: true,
          },
    );
  });
  return cases;
}

/** YAML-token noise: anything may be said about it, but the run must survive it. */
function noiseCases(): HostileCase[] {
  const token = fc.constantFrom(
    'apiVersion: v1',
    'kind: ConfigMap',
    'kind: Kustomization',
    'metadata:',
    'name: x',
    'data:',
    '- ',
    '? ',
    ': ',
    '[',
    ']',
    '{',
    '}',
    ',',
    '&a ',
    '*a',
    '*b',
    '<<: ',
    '!!str ',
    '!!binary ',
    '!x ',
    '|',
    '>-',
    "'",
    '"',
    '\\',
    '#',
    '%YAML 1.1',
    '---',
    '...',
    '\n',
    '\n  ',
    '\t',
    '  ',
    '\\ud800',
    '$' + '{VAR}',
    'é',
    '\u{1F600}',
    '\u2028',
    '\uFEFF',
  );
  return sample(fc.array(token, { minLength: 1, maxLength: 200 }), 60, 13).map((tokens, i) => ({
    name: `gen-noise-${i}`,
    files: { 'x.yaml': tokens.join('') },
  }));
}

/** At least 300 with the named cases; group by what a run must say. */
export function generatedCases(): HostileCase[] {
  return [
    ...validCases(),
    ...badCharacterCases(),
    ...structureCases(),
    ...fieldCases(),
    ...buildCases(),
    ...noiseCases(),
  ];
}
