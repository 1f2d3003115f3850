import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { planOutputs } from '../../src/report/formatters/output-plan.js';

const plan = (specs: string[] | undefined, env: Record<string, string> = {}) =>
  planOutputs(specs, { cwd: '/work/repo', env });

describe('planOutputs', () => {
  it('defaults to text, plus the annotations of the CI system it runs in', () => {
    expect(plan(undefined)).toEqual([{ format: 'text' }]);
    expect(plan(undefined, { GITHUB_ACTIONS: 'true' })).toEqual([{ format: 'text' }, { format: 'github' }]);
    expect(plan(undefined, { TF_BUILD: 'True' })).toEqual([{ format: 'text' }, { format: 'azure' }]);
    expect(plan(['json'], { GITHUB_ACTIONS: 'true', TF_BUILD: 'True' })).toEqual([{ format: 'json' }]);
  });

  it('keeps the order given and resolves FILE against the working directory', () => {
    expect(
      plan(['azure', 'text', 'sarif=out/fluxgate.sarif', 'junit=/tmp/TEST-fluxgate.xml', 'json']),
    ).toEqual([
      { format: 'azure' },
      { format: 'text' },
      { format: 'sarif', file: '/work/repo/out/fluxgate.sarif' },
      { format: 'junit', file: '/tmp/TEST-fluxgate.xml' },
      { format: 'json' },
    ]);
  });

  it('rejects unknown formats, empty files, two documents on stdout and a file named twice', () => {
    expect(() => plan(['xml'])).toThrow(
      /--format xml: unknown format \(text, compact, json, sarif, junit, github, azure\)/,
    );
    expect(() => plan(['sarif='])).toThrow(/expected sarif=FILE/);
    expect(() => plan(['json', 'sarif'])).toThrow(/at most one of json, sarif, junit can go to stdout/);
    expect(() => plan(['sarif=a.out', 'junit=./a.out'])).toThrow(/a\.out is named twice/);
    expect(() => plan(['json', 'json'])).toThrow(UsageError);
  });
});
