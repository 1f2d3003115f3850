// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` in plain strings is the syntax under test.
// A resource without any `$` goes through Flux's text round trip unchanged, so fluxgate skips
// printing and reparsing it. These cases pin that the shortcut gives exactly what the full round
// trip (go-yaml print, envsubst, YAMLToJSON) gives, key order included.
import { describe, expect, it } from 'vitest';
import { goYamlToJson } from '../../src/render/varsub/go-yaml/decode.js';
import { emitGoYaml } from '../../src/render/varsub/go-yaml/emit.js';
import { substituteResource } from '../../src/render/varsub/index.js';

/** The full path: print as go-yaml does, read back as YAMLToJSON does. */
function roundTrip(obj: unknown): unknown {
  const decoded = goYamlToJson(emitGoYaml(obj).text);
  if (!decoded.ok) throw new Error(decoded.message);
  return decoded.value;
}

const tricky = {
  metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'a', a10: 'x', a2: 'y', B: 'z', _u: 'w' } },
  data: {
    yes: 'yes',
    octal: '0777',
    float: '1e3',
    nul: 'null',
    tilde: '~',
    empty: '',
    colon: 'key: value',
    hash: '# not a comment',
    lead: ' leading space',
    trail: 'trailing space ',
    multi: 'line one\nline two\n',
    multiKeep: 'a\n\n\n',
    multiLead: '  indented\nsecond\n',
    tab: 'a\tb',
    unicode: 'größe ✓',
    quote: 'it\'s "quoted"',
    json: '{"a": [1, 2], "b": "c"}',
    dash: '- item',
    bool: true,
    int: 42,
    negative: -7,
    big: 9007199254740991,
    nothing: null,
    list: [1, 'two', [], {}, [{ z: 1, a: 2 }]],
    emptyMap: {},
    keys: { yes: 1, null: 2, '~': 3, '123': 4, 'a b': 5, '-': 6 },
  },
};

describe('post-build substitution without references', () => {
  it('gives what the full round trip gives, keys in go-yaml order', () => {
    const fast = substituteResource(tricky, { UNUSED: 'x' }, { strict: true });
    expect(fast.error).toBeUndefined();
    expect(fast.object).toEqual(roundTrip(tricky));
    expect(JSON.stringify(fast.object)).toBe(JSON.stringify(roundTrip(tricky)));
  });

  it('returns a copy: changing it never changes the build output shared by clusters', () => {
    const input = { metadata: { name: 'a' }, spec: { list: [{ a: 1 }] } };
    const out = substituteResource(input, { V: '1' }, { strict: true }).object as typeof input;
    out.spec.list[0]!.a = 2;
    expect(input.spec.list[0]!.a).toBe(1);
  });

  it('still substitutes and reports undefined variables when a $ is present', () => {
    const out = substituteResource({ data: { a: 'x', b: '${V}' } }, { V: '1' }, { strict: true });
    expect(out.object).toEqual({ data: { a: 'x', b: 1 } });
    const undefinedVar = substituteResource({ data: { b: '${MISSING}' } }, { V: '1' }, { strict: true });
    expect(undefinedVar.error?.kind).toBe('undefined-var');
  });

  it('takes the full path for values the round trip may change (floats, \\r)', () => {
    const obj = { data: { ratio: 0.5, crlf: 'a\r\nb' } };
    expect(substituteResource(obj, { V: '1' }, { strict: true }).object).toEqual(roundTrip(obj));
  });
});
