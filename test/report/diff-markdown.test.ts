import { marked, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostic.js';
import type { ClusterDiff, DiffResult, ObjectChange } from '../../src/diff/types.js';
import { unifiedDiff } from '../../src/diff/unified.js';
import { formatDiffMarkdown } from '../../src/report/diff/markdown.js';

function object(name: string, before: string, after: string): ObjectChange {
  return {
    change: 'changed',
    id: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name },
    producer: { kustomization: { namespace: 'flux-system', name: 'apps' } },
    diff: unifiedDiff(`prod/ConfigMap/apps/${name}`, `prod/ConfigMap/apps/${name}`, before, after, 3),
  };
}

function result(clusters: Partial<ClusterDiff>[]): DiffResult {
  return {
    base: { label: 'main', commit: 'a'.repeat(40) },
    head: { label: 'work tree' },
    clusters: clusters.map((c) => ({
      name: 'prod',
      status: 'changed',
      objects: [],
      findings: { added: [], removed: [] },
      notRendered: [],
      ...c,
    })),
    repository: { added: [], removed: [] },
  };
}

const lines = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `  key${i}: ${tag}-${i}\n`).join('');

describe('diff markdown', () => {
  it('an object diff larger than the limit shows its first lines and says it is cut', () => {
    const big = object('big', `data:\n${lines(3000, 'old')}`, `data:\n${lines(3000, 'new')}`);
    const md = formatDiffMarkdown(result([{ objects: [big] }]), { color: false, maxChars: 10_000 });
    expect(md.length).toBeLessThanOrEqual(10_000);
    expect(md).toMatch(
      /\*\*Truncated\*\*: the whole diff is longer than 10,000 characters; 0 of 1 object change shown whole, one more cut short/,
    );
    const code = marked.lexer(md).find((t): t is Tokens.Code => t.type === 'code')!;
    expect(code.lang).toBe('diff');
    expect(code.text).toMatch(/^--- a\/prod\/ConfigMap\/apps\/big\n\+\+\+ b\//);
    expect(code.text).toMatch(/\n\.\.\. \d+ more lines of this diff not shown$/);
  });

  it('repository text cannot break out of the table, the list or the code block', () => {
    const finding: Diagnostic = {
      ruleId: 'policy/x',
      severity: 'error',
      message: 'bad | value <script>alert(1)</script> **bold**',
      file: 'apps/a.yaml',
      line: 3,
      column: 1,
      source: 'policy',
      cluster: 'prod|x',
    };
    const fence = object('fence', 'text: a\n', 'text: "```\\n</details>"\n');
    const md = formatDiffMarkdown(
      result([{ name: 'prod|x', objects: [fence], findings: { added: [finding], removed: [] } }]),
      { color: false, maxChars: 60_000 },
    );
    const tokens = marked.lexer(md);
    const table = tokens.find((t): t is Tokens.Table => t.type === 'table')!;
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]!.map((c) => c.text)).toEqual(['prod|x', '0', '0', '1', 'adds 1 error']);
    const html = marked.parse(md, { async: false });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    const code = tokens.find((t): t is Tokens.Code => t.type === 'code')!;
    expect(code.text).toContain('+text: "```\\n</details>"');
    expect(html.match(/<details>/g)).toHaveLength(1);
    expect(html.match(/<\/details>/g)).toHaveLength(1);
  });

  it('no difference: the reach line and no table', () => {
    const md = formatDiffMarkdown(result([{ status: 'unchanged' }]), { color: false, maxChars: 60_000 });
    expect(md).toContain('The change reaches no cluster (1 cluster renders the same).');
    expect(marked.lexer(md).some((t) => t.type === 'table')).toBe(false);
  });
});
