// The YAML of issues 18 and 19 that crashed, hung or passed silently, each with what Flux's
// decoder (go-yaml) says about it.
import {
  aliasBomb,
  cm,
  deepBlock,
  deepFlow,
  deepFlowMap,
  type HostileCase,
  kustomization,
  mergeBomb,
} from './hostile-case.js';

const syntax = (file: string, message: string) => ({ file, ruleId: 'yaml/syntax', message });

const helmRelease = (values: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: deep
  namespace: default
spec:
  interval: 1h
  chart:
    spec:
      chart: deep
      sourceRef:
        kind: HelmRepository
        name: charts
  values: ${values}
`;

export function namedYamlCases(): HostileCase[] {
  const cases: HostileCase[] = [
    // Alias bombs: go-yaml's allowedAliasRatio.
    ...[7, 8, 10].map((levels) => ({
      name: `alias-bomb-${levels}`,
      files: { 'bomb.yaml': aliasBomb(levels) },
      expect: [syntax('bomb.yaml', 'excessive aliasing')],
    })),
    {
      name: 'alias-bomb-merge-keys',
      files: { 'bomb.yaml': mergeBomb(8) },
      expect: [syntax('bomb.yaml', 'excessive aliasing')],
    },
    {
      name: 'alias-bomb-rendered',
      files: {
        'kustomization.yaml': kustomization(['cm.yaml', 'bomb.yaml']),
        'cm.yaml': cm('a'),
        'bomb.yaml': aliasBomb(10),
      },
      flux: {},
      expect: [
        syntax('bomb.yaml', 'excessive aliasing'),
        { file: 'kustomization.yaml', ruleId: 'kustomize/build-failed', message: 'not run' },
      ],
    },
    {
      name: 'alias-bomb-generated',
      files: { 'cm.yaml': cm('a'), 'bomb.yaml': aliasBomb(8) },
      flux: {},
      expect: [
        syntax('bomb.yaml', 'excessive aliasing'),
        { file: '@cluster/alias-bomb-generated.yaml', ruleId: 'kustomize/build-failed', message: 'not run' },
      ],
    },
    // Size: a document past 3 MiB is a finding, never a slow path.
    {
      name: 'scalar-40mb',
      files: { 'big.yaml': cm('big', `  v: ${'x'.repeat(40 * 1024 * 1024)}\n`) },
      expect: [{ file: 'big.yaml', ruleId: 'yaml/too-large', message: '40.0 MiB' }],
    },
    {
      name: 'value-50mb-rendered',
      files: {
        'kustomization.yaml': kustomization(['big.yaml']),
        'big.yaml': cm('big', `  v: ${'x'.repeat(50 * 1024 * 1024)}\n`),
      },
      flux: {},
      expect: [
        { file: 'big.yaml', ruleId: 'yaml/too-large', message: '50.0 MiB' },
        { file: 'kustomization.yaml', ruleId: 'kustomize/build-failed', message: 'not run' },
      ],
    },
    {
      // Past 64 MiB a file is not read at all: one finding at its start.
      name: 'file-70mb',
      files: { 'big.yaml': `# ${'x'.repeat(70 * 1024 * 1024)}\n` },
      expect: [{ file: 'big.yaml', ruleId: 'yaml/too-large', message: 'larger than 64.0 MiB' }],
    },
    {
      name: 'documents-20000',
      files: { 'many.yaml': Array.from({ length: 20_000 }, (_, i) => cm(`c${i}`)).join('---\n') },
      silent: true,
    },
    // Undefined aliases, plain and in a build.
    {
      name: 'alias-undefined',
      files: { 'x.yaml': cm('u', '  a: *nope\n') },
      expect: [syntax('x.yaml', "unknown anchor 'nope'")],
    },
    {
      name: 'alias-undefined-rendered',
      files: { 'kustomization.yaml': kustomization(['x.yaml']), 'x.yaml': cm('u', '  a: *nope\n') },
      flux: {},
      expect: [
        syntax('x.yaml', "unknown anchor 'nope'"),
        { file: 'kustomization.yaml', ruleId: 'kustomize/build-failed' },
      ],
    },
    // A lone surrogate escape: go-yaml refuses it; the policy engine never sees it.
    {
      name: 'surrogate-escape',
      files: { 'x.yaml': cm('s', '  a: "\\ud800"\n') },
      expect: [syntax('x.yaml', 'invalid Unicode character escape')],
    },
    // Nesting: what Flux accepts is checked like anything else; past 10,000 levels it is go-yaml's error.
    {
      name: 'deep-flow-1000-rendered',
      files: {
        'kustomization.yaml': kustomization(['x.yaml']),
        'x.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\nbinaryData: ${deepFlow(1000)}\n`,
      },
      flux: {},
      expect: [{ file: 'x.yaml', ruleId: 'schema/invalid', message: 'binaryData' }],
    },
    {
      name: 'deep-block-2000',
      files: { 'x.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n${deepBlock(2000)}` },
      expect: [{ file: 'x.yaml', ruleId: 'schema/unknown-field', message: 'k0' }],
    },
    {
      // Values 5,000 levels deep reach every stage: the policy on the chart version is still found.
      name: 'helm-values-5000',
      files: { 'hr.yaml': helmRelease(deepFlowMap(5000)) },
      expect: [{ file: 'hr.yaml', ruleId: 'policy/helm-chart-pinned' }],
    },
    {
      name: 'deep-flow-20000',
      files: { 'x.yaml': `a: ${deepFlow(20_000)}\n` },
      expect: [syntax('x.yaml', 'max depth of 10000')],
    },
    {
      name: 'deep-flow-100000',
      files: { 'x.yaml': `a: ${deepFlow(100_000)}\n` },
      expect: [syntax('x.yaml', 'max depth of 10000')],
    },
    {
      name: 'deep-flow-100000-rendered',
      files: {
        'kustomization.yaml': kustomization(['x.yaml']),
        'x.yaml': `${cm('d')}extra: ${deepFlow(100_000)}\n`,
      },
      flux: {},
      expect: [
        syntax('x.yaml', 'max depth of 10000'),
        { file: 'kustomization.yaml', ruleId: 'kustomize/build-failed' },
      ],
    },
    // YAML go-yaml refuses and JavaScript's parsers accept.
    {
      name: 'yaml-directive-9',
      files: { 'x.yaml': `%YAML 9.0\n---\n${cm('v')}` },
      expect: [syntax('x.yaml', 'incompatible YAML document')],
    },
    {
      name: 'yaml-directive-unknown',
      files: { 'x.yaml': `%FOO bar\n---\n${cm('v')}` },
      expect: [syntax('x.yaml', 'unknown directive')],
    },
    {
      name: 'yaml-tag-duplicate',
      files: { 'x.yaml': `%TAG ! !a\n%TAG ! !b\n---\n${cm('v')}` },
      expect: [syntax('x.yaml', 'duplicate %TAG')],
    },
    {
      name: 'yaml-tag-undefined-handle',
      files: { 'x.yaml': `${cm('v')}extra: !e!x y\n` },
      expect: [{ file: 'x.yaml', ruleId: 'yaml/syntax' }],
    },
    {
      name: 'implicit-key-1100',
      files: { 'x.yaml': cm('v', `  ${'k'.repeat(1100)}: b\n`) },
      expect: [syntax('x.yaml', 'longer than 1024')],
    },
    {
      name: 'block-scalar-tab',
      files: { 'x.yaml': cm('v', '  a: |\n    text\n\t\n') },
      expect: [syntax('x.yaml', 'tab character')],
    },
    {
      name: 'flow-collection-key',
      files: { 'x.yaml': cm('v', '  [a, b]: c\n') },
      expect: [syntax('x.yaml', 'invalid map key')],
    },
    // Bytes.
    {
      name: 'random-bytes',
      files: { 'x.yaml': Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256) },
      expect: [{ file: 'x.yaml', ruleId: 'yaml/syntax' }],
    },
    { name: 'nul-bytes', files: { 'x.yaml': `${cm('n')}\0\0\0\n` }, expect: [syntax('x.yaml', 'U+0000')] },
    {
      name: 'latin1',
      files: { 'x.yaml': Buffer.from(cm('l', '  city: Besan\xe7on\n'), 'latin1') },
      expect: [syntax('x.yaml', 'not valid UTF-8')],
    },
    {
      name: 'latin1-rendered',
      files: { 'y.yaml': cm('ok'), 'x.yaml': Buffer.from(cm('l', '  city: Besan\xe7on\n'), 'latin1') },
      flux: {},
      expect: [
        syntax('x.yaml', 'not valid UTF-8'),
        { file: '@cluster/latin1-rendered.yaml', ruleId: 'kustomize/build-failed' },
      ],
    },
    {
      name: 'utf16-bom',
      files: { 'x.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(cm('u'), 'utf16le')]) },
      silent: true,
    },
    // Identity fields that are not strings.
    {
      name: 'name-number',
      files: { 'x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 123\n  namespace: default\n' },
      expect: [{ file: 'x.yaml', ruleId: 'yaml/invalid-identity', message: 'metadata.name is a number' }],
    },
  ];
  return cases;
}
