import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/rules/registry.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const DOCS = path.resolve(import.meta.dirname, '../../docs/rules');

interface Example {
  kind: 'fail' | 'pass';
  files: Record<string, string>;
}

/** Reads the `<!-- fail [file=...] -->` / `<!-- pass -->` examples of a rule page. */
function parseExamples(markdown: string): Example[] {
  const examples: Example[] = [];
  const pattern = /<!--\s*(fail|pass)(?:\s+file=(\S+))?\s*-->\s*\n```ya?ml\n([\s\S]*?)```/g;
  let previousEnd = -1;
  for (const match of markdown.matchAll(pattern)) {
    const kind = match[1] as 'fail' | 'pass';
    const file = match[2] ?? 'example.yaml';
    const last = examples.at(-1);
    // Consecutive blocks of the same kind (only whitespace between them) form one repository.
    const adjacent = last && last.kind === kind && markdown.slice(previousEnd, match.index).trim() === '';
    if (adjacent) last.files[file] = match[3]!;
    else examples.push({ kind, files: { [file]: match[3]! } });
    previousEnd = match.index! + match[0].length;
  }
  return examples;
}

describe('rule documentation', () => {
  for (const rule of RULES) {
    const file = path.join(DOCS, `${rule.id.replace('/', '-')}.md`);
    describe(rule.id, () => {
      it('has a page with its id, severity and a failing and a passing example', () => {
        expect(existsSync(file), `${file} is missing`).toBe(true);
        const text = readFileSync(file, 'utf8');
        expect(text).toContain(`# ${rule.id}`);
        expect(text).toContain(`**Severity:** ${rule.defaultSeverity}`);
        const kinds = parseExamples(text).map((e) => e.kind);
        expect(kinds).toContain('fail');
        expect(kinds).toContain('pass');
      });

      if (!existsSync(file)) return;
      for (const [i, example] of parseExamples(readFileSync(file, 'utf8')).entries()) {
        it(`example ${i + 1} (${example.kind}) behaves as documented`, async () => {
          const root = tempRepo(example.files);
          const run = await runCli(['validate', '--format', 'json', '--fail-level', 'info'], { cwd: root });
          expect(run.stderr).toBe('');
          const ids = (JSON.parse(run.stdout).diagnostics as { ruleId: string }[]).map((d) => d.ruleId);
          if (example.kind === 'fail') expect(ids).toContain(rule.id);
          else expect(ids).not.toContain(rule.id);
        });
      }
    });
  }
});
