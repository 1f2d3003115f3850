// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` in plain strings is the syntax under test.
// Where Flux's variables come from and when it substitutes at all: fluxcd/pkg kustomize v1.35
// kustomize_varsub.go (LoadVariables, SubstituteVariables, varsubRegex) and kustomize-controller v1.9
// (api/v1 PostBuild.substituteStrategy; kustomization_controller.go runs post-build only when
// spec.postBuild is set).
import { describe, expect, it } from 'vitest';
import {
  isSubstitutionDisabled,
  type LookupResult,
  postBuildResource,
  resolveVariables,
  type SourceLookup,
  shouldSubstitute,
  validVarName,
} from '../../src/render/varsub/index.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

function lookupFrom(objects: Record<string, unknown>): SourceLookup {
  return ({ kind, name }): LookupResult => {
    const key = `${kind}/${name}`;
    if (!(key in objects)) return { status: 'not-found' };
    const object = objects[key];
    return object === 'unknown'
      ? { status: 'unknown', reason: 'generated at runtime' }
      : { status: 'found', object };
  };
}

describe('resolveVariables (LoadVariables + the inline map)', () => {
  const sources = lookupFrom({
    'ConfigMap/base': {
      data: { REGION: 'eu', TIER: 'base', MULTI: '\nline1\nline2\n', CRLF: 'a\r\n' },
      binaryData: { BIN: b64('x') },
    },
    'ConfigMap/override': { data: { TIER: 'override' } },
    'Secret/creds': {
      data: { TOKEN: b64('s3cr3t\n'), TIER: b64('from-data') },
      stringData: { TIER: 'from-stringData' },
    },
    'Secret/sops': { data: { KEY: 'ENC[AES256_GCM,data:xx]' }, sops: { version: '3.8.1' } },
    'Secret/broken': { data: { KEY: 'not base64!' } },
    'ConfigMap/runtime': 'unknown',
  });

  it('reads substituteFrom in order, later sources overriding earlier ones, then substitute over all', () => {
    const resolved = resolveVariables(
      {
        substituteFrom: [
          { kind: 'ConfigMap', name: 'base' },
          { kind: 'ConfigMap', name: 'override' },
          { kind: 'Secret', name: 'creds' },
        ],
        substitute: { REGION: 'us', EXTRA: 'a\nb' },
      },
      sources,
    );
    expect({ ...resolved.vars }).toEqual({
      REGION: 'us',
      // The API server merges stringData into data, stringData winning; Flux reads data.
      TIER: 'from-stringData',
      // Every value has "\n" removed, and only "\n".
      MULTI: 'line1line2',
      CRLF: 'a\r',
      TOKEN: 's3cr3t',
      EXTRA: 'ab',
    });
    expect(resolved).toMatchObject({ missing: [], unknown: false });
  });

  it('ignores ConfigMap binaryData and kinds other than ConfigMap and Secret', () => {
    const resolved = resolveVariables(
      {
        substituteFrom: [
          { kind: 'ConfigMap', name: 'base' },
          { kind: 'Bucket', name: 'base' },
        ],
      },
      sources,
    );
    expect(Object.keys(resolved.vars)).not.toContain('BIN');
  });

  it('lists missing sources with their optional flag (a non-optional one fails the build)', () => {
    const resolved = resolveVariables(
      {
        substituteFrom: [
          { kind: 'ConfigMap', name: 'absent', optional: true },
          { kind: 'Secret', name: 'gone' },
        ],
      },
      sources,
    );
    expect(resolved.missing).toEqual([
      { kind: 'ConfigMap', name: 'absent', optional: true },
      { kind: 'Secret', name: 'gone', optional: false },
    ]);
    expect(resolved.unknown).toBe(false);
  });

  it('marks SOPS-encrypted, undecodable and unreadable sources as unknown, keeping visible keys', () => {
    const resolved = resolveVariables(
      {
        substituteFrom: [
          { kind: 'Secret', name: 'sops' },
          { kind: 'Secret', name: 'broken' },
          { kind: 'ConfigMap', name: 'runtime' },
        ],
      },
      sources,
    );
    expect(resolved.unknown).toBe(true);
    expect(resolved.unknownSources).toEqual([
      { kind: 'Secret', name: 'sops', reason: 'SOPS-encrypted', keys: ['KEY'] },
      { kind: 'Secret', name: 'broken', reason: 'data.KEY is not valid base64', keys: ['KEY'] },
      { kind: 'ConfigMap', name: 'runtime', reason: 'generated at runtime', keys: [] },
    ]);
    expect(resolved.vars).toEqual({});
  });

  it('keeps a key named __proto__ as an ordinary variable', () => {
    const resolved = resolveVariables({ substitute: JSON.parse('{"__proto__": "x"}') }, sources);
    expect(Object.hasOwn(resolved.vars, '__proto__')).toBe(true);
  });
});

describe('validVarName (varsubRegex ^[_[:alpha:]][_[:alpha:][:digit:]]*$, ASCII classes in Go)', () => {
  it.each([
    ['cluster_env', true],
    ['_x1', true],
    ['X', true],
    ['1x', false],
    ['my-key', false],
    ['app.name', false],
    ['café', false],
    ['', false],
  ])('%j -> %s', (name, valid) => {
    expect(validVarName(name)).toBe(valid);
  });
});

describe('isSubstitutionDisabled (kustomize.toolkit.fluxcd.io/substitute: disabled)', () => {
  it.each([
    [{ metadata: { labels: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } } }, true],
    [{ metadata: { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } } }, true],
    [{ metadata: { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'Disabled' } } }, false],
    [{ metadata: { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': '${OFF}' } } }, false],
    [{ metadata: {} }, false],
    ['not an object', false],
  ])('%j -> %s', (obj, disabled) => {
    expect(isSubstitutionDisabled(obj)).toBe(disabled);
  });
});

describe('shouldSubstitute and postBuildResource (when the controller substitutes)', () => {
  it('needs spec.postBuild, then a variable, unless substituteStrategy is Always', () => {
    expect(shouldSubstitute(undefined, { A: '1' })).toBe(false);
    expect(shouldSubstitute({}, {})).toBe(false);
    expect(shouldSubstitute({ substituteStrategy: 'WithVariables' }, {})).toBe(false);
    expect(shouldSubstitute({}, { UNUSED: '' })).toBe(true);
    expect(shouldSubstitute({ substituteStrategy: 'Always' }, {})).toBe(true);
  });

  it('leaves `${v:=default}` alone without variables, and applies it with Always (varsubalways)', () => {
    const obj = { metadata: { labels: { env: '${cluster_env:=dev}' } } };
    expect(postBuildResource(obj, {}, {}, { strict: true })).toEqual({
      applied: false,
      reason: 'no-variables',
    });
    const always = postBuildResource(obj, { substituteStrategy: 'Always' }, {}, { strict: true });
    expect(always.applied && always.object).toEqual({ metadata: { labels: { env: 'dev' } } });
  });

  it('skips disabled resources before anything else', () => {
    const obj = { metadata: { labels: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled', x: '${A}' } } };
    expect(postBuildResource(obj, {}, { A: '1' }, { strict: true })).toEqual({
      applied: false,
      reason: 'disabled',
    });
  });

  it('fails every substituted resource of a Kustomization whose ConfigMap has a dashed key', () => {
    const vars = resolveVariables(
      { substituteFrom: [{ kind: 'ConfigMap', name: 'cm' }] },
      lookupFrom({ 'ConfigMap/cm': { data: { 'app-name': 'x', APP: 'y' } } }),
    ).vars;
    const outcome = postBuildResource({ kind: 'ConfigMap', data: { a: 'no references' } }, {}, vars, {
      strict: true,
    });
    expect(outcome.applied && outcome.error?.kind).toBe('invalid-var-name');
  });

  it('substitutes empty values in strict mode as defined (varsubstrictempty)', () => {
    const obj = { metadata: { labels: { 'from-inline': '${empty_inline}' } } };
    const outcome = postBuildResource(obj, {}, { empty_inline: '' }, { strict: true });
    expect(outcome.applied && outcome.error).toBeUndefined();
    expect(outcome.applied && outcome.object).toEqual({ metadata: { labels: { 'from-inline': null } } });
  });
});
