import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/rules/registry.js';
import { parseExamples } from '../helpers/rule-examples.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const DOCS = path.resolve(import.meta.dirname, '../../docs/rules');

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

      // Dry-run examples need an API server: test/dry-run/dry-run.test.ts runs them against one.
      if (!existsSync(file) || rule.source === 'dry-run') return;
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
