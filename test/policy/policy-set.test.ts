import { describe, expect, it } from 'vitest';
import { kebab, namespaceMatcher } from '../../src/policy/policy-set.js';
import { packageResults } from '../../src/policy/results.js';

describe('user rule ids', () => {
  it.each([
    ['main', 'main'],
    ['deny_latest_tag', 'deny-latest-tag'],
    ['k8s/rules', 'k8s-rules'],
    ['denyLatest', 'deny-latest'],
  ])('%s → %s', (name, id) => {
    expect(kebab(name)).toBe(id);
  });
});

describe("conftest's --namespace", () => {
  it('is a package name or a glob over dotted package names', () => {
    expect(namespaceMatcher('main')('main')).toBe(true);
    expect(namespaceMatcher('main')('main.lib')).toBe(false);
    expect(namespaceMatcher('k8s.*')('k8s.simple.deployment')).toBe(true);
    expect(namespaceMatcher('k8s.*')('k8sx')).toBe(false);
    expect(namespaceMatcher('team?')('team1')).toBe(true);
  });
});

describe('conftest exceptions', () => {
  it('name a rule without its prefix; the empty name excepts deny, violation and warn', () => {
    const document = {
      deny: ['a'],
      deny_tag: ['b'],
      warn_tag: ['c'],
      violation: [{ msg: 'd', path: 'spec.replicas' }],
      exception: [['tag']],
    };
    expect(packageResults('main', document).map((r) => r.message)).toEqual(['a', 'd']);
    expect(packageResults('main', { ...document, exception: [['']] }).map((r) => r.message)).toEqual([
      'b',
      'c',
    ]);
    expect(packageResults('main', document).find((r) => r.kind === 'violation')?.path).toBe('/spec/replicas');
  });
});
