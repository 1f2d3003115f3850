// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` in plain strings is the syntax under test.
// Flux post-build substitution of text: fluxcd/pkg envsubst v1.7.0 (the fork of drone/envsubst that
// fluxcd/pkg kustomize v1.35 and kustomize-controller v1.9 use). Expected outputs were checked against
// envsubst.Eval itself; the file each behaviour comes from is named on its row.
import { describe, expect, it } from 'vitest';
import { substitute } from '../../src/render/varsub/index.js';

const vars = { APP: 'web', EMPTY: '', NUM: '3', PATH: 'apps/web/config.yaml', NAME: 'Élan', SEP: 'a/b' };
const lenient = { strict: false };
const strict = { strict: true };

describe('substitute: grammar (envsubst parse/parse.go, parse/scan.go)', () => {
  it.each([
    // scan.go: only `${` opens an expression; `$var` is plain text.
    ['name: ${APP}', 'name: web'],
    ['$APP and ${APP}', '$APP and web'],
    // scan.go scanEscaped: `$$` is `$`, so `$${x}` is the literal `${x}` (Grafana-style placeholders).
    ['$${APP}', '${APP}'],
    ['$$${APP}', '$web'],
    ['cost: $5 and $$', 'cost: $5 and $'],
    ['a${APP}b${NUM}c', 'awebb3c'],
  ])('%s', (text, output) => {
    expect(substitute(text, vars, lenient).output).toBe(output);
  });

  it.each([
    // parse.go parseFunc: after the name only `: = , ^ / # %` or `}` may follow.
    ['${APP-x}', 'missing closing brace'],
    ['${APP+x}', 'missing closing brace'],
    ['${APP!}', 'missing closing brace'],
    ['${APP', 'missing closing brace'],
    ['${}', 'unable to parse variable name'],
    ['${ APP}', 'unable to parse variable name'],
    // parse.go parseReplaceFunc: the second `/` is required.
    ['${PATH/.yaml}', 'bad substitution'],
  ])('%s is a syntax error: %s', (text, message) => {
    const result = substitute(`x: ${text}`, vars, lenient);
    expect(result.syntaxError).toEqual({ message, offset: 3 });
    // template.go Eval returns the input unchanged with the error.
    expect(result.output).toBe(`x: ${text}`);
  });

  it('reports the offset of the innermost expression being parsed', () => {
    expect(substitute('ok ${A:-${B', vars, lenient).syntaxError).toEqual({
      message: 'missing closing brace',
      offset: 8,
    });
  });

  it('ends the input at a NUL byte, as the Go scanner reads rune 0 as end of input (scan.go read)', () => {
    expect(substitute('a\u0000b${APP}', vars, lenient).output).toBe('a');
  });

  it('reads any Unicode letter or digit as part of a name, so `${1abc}` parses (scan.go acceptIdent)', () => {
    expect(substitute('${1abc}', vars, strict).undefinedVars).toEqual([{ name: '1abc', offset: 0 }]);
  });

  it('takes a default up to the first `}` (parse.go parseDefaultFunc, acceptNotClosing)', () => {
    expect(substitute('${APP:-{"a":1}}', {}, lenient).output).toBe('{"a":1}');
    expect(substitute('${APP:-{"a":1}}', vars, lenient).output).toBe('web}');
  });
});

describe('substitute: operators (envsubst funcs.go, template.go lookupFunc)', () => {
  it.each([
    // Every default operator is toDefault: the default replaces an EMPTY value, set or not.
    ['${APP:=x}', 'web'],
    ['${MISSING:=x}', 'x'],
    ['${EMPTY:=x}', 'x'],
    ['${EMPTY=x}', 'x'],
    ['${MISSING=x}', 'x'],
    ['${APP:-x}', 'web'],
    ['${EMPTY:-x}', 'x'],
    // `:+` is NOT the shell's "alternate value": it keeps a non-empty value.
    ['${APP:+alt}', 'web'],
    ['${EMPTY:+alt}', 'alt'],
    ['${MISSING:?msg}', 'msg'],
    ['${MISSING:-${APP}-x}', 'web-x'],
    // Lengths and offsets count bytes, not characters.
    ['${#APP}', '3'],
    ['${#NAME}', '5'],
    ['${APP^}', 'Web'],
    ['${APP^^}', 'WEB'],
    ['${NAME,,}', 'élan'],
    ['${APP^,}', 'web'],
    ['${PATH:5}', 'web/config.yaml'],
    ['${PATH:5:3}', 'web'],
    ['${PATH:50}', ''],
    ['${PATH:x}', 'apps/web/config.yaml'],
    // `:-6` is a default, and `: -6` an offset Go's Atoi cannot read: no negative offsets.
    ['${PATH:-6}', 'apps/web/config.yaml'],
    ['${PATH: -6}', 'apps/web/config.yaml'],
    ['${PATH#*/}', 'web/config.yaml'],
    ['${PATH##*/}', 'config.yaml'],
    ['${PATH%.*}', 'apps/web/config'],
    ['${PATH%%/*}', 'apps'],
    // `/` and `//` replace a literal substring; `/#` and `/%` need a replacement to do anything.
    ['${PATH/web/api}', 'apps/api/config.yaml'],
    ['${PATH//a/A}', 'Apps/web/config.yAml'],
    ['${PATH/#apps/svc}', 'svc/web/config.yaml'],
    ['${PATH/%yaml/yml}', 'apps/web/config.yml'],
    ['${PATH/#apps/}', 'apps/web/config.yaml'],
    ['${SEP/\\//-}', 'a-b'],
  ])('%s -> %s', (text, output) => {
    expect(substitute(text, vars, lenient).output).toBe(output);
  });

  it('reports a Go panic for a negative substring length (funcs.go toSubstr slices s[pos:pos+len])', () => {
    const result = substitute('x: ${PATH:0:-1}', vars, lenient);
    expect(result.panic).toEqual({ message: 'runtime error: slice bounds out of range [:-1]', offset: 3 });
  });
});

describe('substitute: strict mode (template.go evalFunc, isDefaultOp)', () => {
  it('collects every undefined variable with the offset of its `${`, in evaluation order', () => {
    const text = 'a: ${MISSING}\nb: ${OTHER:-${INNER}}\nc: ${#GONE}';
    expect(substitute(text, vars, strict).undefinedVars).toEqual([
      { name: 'MISSING', offset: 3 },
      { name: 'INNER', offset: 26 },
      { name: 'GONE', offset: 39 },
    ]);
  });

  it('fails for transformations of an undefined variable, not for default operators', () => {
    for (const text of ['${MISSING^^}', '${#MISSING}', '${MISSING/a/b}', '${MISSING:0}', '${MISSING#x}']) {
      expect(substitute(text, vars, strict).undefinedVars).toHaveLength(1);
    }
    for (const text of ['${MISSING:=d}', '${MISSING=d}', '${MISSING:-d}', '${MISSING:?d}', '${MISSING:+d}']) {
      expect(substitute(text, vars, strict).undefinedVars).toEqual([]);
    }
  });

  it('counts an empty string as defined', () => {
    expect(substitute('${EMPTY}', vars, strict)).toMatchObject({ output: '', undefinedVars: [] });
  });

  it('evaluates defaults before the variable, so a nested undefined one fails even when unused', () => {
    expect(substitute('${APP:-${MISSING}}', vars, strict).undefinedVars).toEqual([
      { name: 'MISSING', offset: 7 },
    ]);
    expect(substitute('${APP:-${MISSING}}', vars, lenient).undefinedVars).toEqual([]);
  });

  it('does not assign with `:=`: a later bare reference is still undefined', () => {
    const result = substitute('${X:=one} ${X}', {}, strict);
    expect(result.output).toBe('one ');
    expect(result.undefinedVars).toEqual([{ name: 'X', offset: 10 }]);
  });

  it('without strict mode reads undefined variables as empty', () => {
    expect(substitute('[${MISSING}]', vars, lenient)).toMatchObject({ output: '[]', undefinedVars: [] });
  });

  it('only sees own properties of the variables object', () => {
    expect(substitute('${constructor}${toString}', {}, strict).undefinedVars.map((v) => v.name)).toEqual([
      'constructor',
      'toString',
    ]);
  });
});

describe('substitute: replacements', () => {
  it('maps each expression and escape to the output, in UTF-16 indices', () => {
    const result = substitute('é ${NAME} $${x} ${MISSING:-${APP}}', vars, lenient);
    expect(result.output).toBe('é Élan ${x} web');
    expect(result.replacements).toEqual([
      { inputStart: 2, inputEnd: 9, outputStart: 2, outputEnd: 6, vars: ['NAME'] },
      { inputStart: 10, inputEnd: 12, outputStart: 7, outputEnd: 8, vars: [] },
      { inputStart: 16, inputEnd: 34, outputStart: 12, outputEnd: 15, vars: ['MISSING', 'APP'] },
    ]);
  });
});
