import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/run-cli.js';
import { sarifSchema } from '../helpers/sarif-schema.js';

const PROJECT = path.resolve(import.meta.dirname, '../..');
// VS Code's variables in docs/editors/vscode-tasks.json, written as VS Code reads them.
// biome-ignore lint/suspicious/noTemplateCurlyInString: not a template, VS Code's syntax
const WORKSPACE_FOLDER = '${workspaceFolder}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: not a template, VS Code's syntax
const FILE = '${file}';

/** A copy of the broken example fleet as a user's repository checkout. */
function checkout(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-ci-'));
  cpSync(path.join(PROJECT, 'examples/aks-fleet-broken'), dir, { recursive: true });
  return dir;
}

/** The `fluxgate` command lines of a documented pipeline, exactly as written there. */
function fluxgateCommands(file: string): string[] {
  const doc = parse(readFileSync(path.join(PROJECT, file), 'utf8')) as {
    steps?: { script?: string }[];
    jobs?: Record<string, { steps: { run?: string }[] }>;
  };
  const steps = [...(doc.steps ?? []), ...Object.values(doc.jobs ?? {}).flatMap((j) => j.steps)];
  return steps
    .map((s) => ('script' in s ? s.script : (s as { run?: string }).run))
    .filter((c): c is string => typeof c === 'string' && c.includes('fluxgate validate'));
}

function argv(command: string, vars: Record<string, string>): string[] {
  let line = command.trim();
  for (const [name, value] of Object.entries(vars)) line = line.replaceAll(name, value);
  return line.replace(/^npx fluxgate /, '').split(/\s+/);
}

describe('documented CI recipes run as written', () => {
  it('Azure Pipelines: build issues with file and line, a failed task, a JUnit file', async () => {
    const [command] = fluxgateCommands('docs/ci/azure-pipelines.yml');
    expect(command).toBeDefined();
    const repo = checkout();
    const temp = mkdtempSync(path.join(os.tmpdir(), 'agent-temp-'));
    const run = await runCli(argv(command!, { '$(Agent.TempDirectory)': temp }), {
      cwd: repo,
      env: { TF_BUILD: 'True' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /##vso\[task\.logissue type=error;sourcepath=[^;]*drafts\/podinfo-feature-flags\.yaml;linenumber=10;columnnumber=3;code=yaml\/duplicate-key\]/,
    );
    expect(run.stdout).toContain('##vso[task.complete result=Failed;]');
    const junit = readFileSync(path.join(temp, 'TEST-fluxgate.xml'), 'utf8');
    expect(junit).toMatch(/^<\?xml/);
    expect(junit).toContain('yaml/duplicate-key');
    expect(existsSync(path.join(repo, 'TEST-fluxgate.xml'))).toBe(false);
  });

  it('GitHub Actions: annotations and a SARIF file', async () => {
    const [command] = fluxgateCommands('docs/ci/github-actions.yml');
    const repo = checkout();
    const temp = mkdtempSync(path.join(os.tmpdir(), 'runner-temp-'));
    const run = await runCli(argv(command!, { '${{ runner.temp }}': temp }), {
      cwd: repo,
      env: { GITHUB_ACTIONS: 'true' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error file=[^,]*drafts\/podinfo-pdb\.yaml,line=2,/m);
    const sarif = JSON.parse(readFileSync(path.join(temp, 'fluxgate.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
  });

  it('VS Code: the documented problem matcher reads every finding of the compact output', async () => {
    const tasks = JSON.parse(readFileSync(path.join(PROJECT, 'docs/editors/vscode-tasks.json'), 'utf8'));
    const task = tasks.tasks[0];
    const matcher = task.problemMatcher.pattern;
    const regexp = new RegExp(matcher.regexp);
    const repo = checkout();
    // node runs the installed package's bin directly (no npx, no shell): its arguments after the script.
    expect(task.command).toBe('node');
    expect(task.args[0]).toBe(`${WORKSPACE_FOLDER}/node_modules/fluxgate-cli/bin/fluxgate.js`);
    const text = await runCli(
      task.args.slice(1).map((a: string) => a.replace(FILE, 'drafts')),
      { cwd: repo },
    );
    const json = await runCli(['validate', 'drafts', '--format', 'json'], { cwd: repo });
    const expected = JSON.parse(json.stdout).diagnostics.map((d: Record<string, unknown>) => [
      d.file,
      String(d.line),
      String(d.column),
      d.severity,
      d.ruleId,
    ]);
    const lines = text.stdout.trimEnd().split('\n');
    const parsed = lines.map((line) => {
      const m = regexp.exec(line);
      expect(m, line).not.toBeNull();
      return [m![matcher.file], m![matcher.line], m![matcher.column], m![matcher.severity], m![matcher.code]];
    });
    expect(parsed).toEqual(expected);
    expect(parsed.length).toBe(3);
  });

  it('the SARIF output validates against the SARIF 2.1.0 schema', async () => {
    const repo = checkout();
    const run = await runCli(['validate', '--format', 'sarif'], { cwd: repo });
    const schema = sarifSchema();
    schema.$id = schema.id;
    delete schema.id;
    delete schema.$schema;
    const validate = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true }).compile(schema);
    expect(validate(JSON.parse(run.stdout)), JSON.stringify(validate.errors)).toBe(true);
  });
});
