/**
 * `.husky/pre-commit`. husky puts node_modules/.bin on PATH (no npx start-up); lint-staged lists
 * only added, copied, modified and renamed files by default, so `--diff-filter=ACMRD` adds
 * deletions: a commit that only deletes a file a kustomization lists is checked too.
 */
export const HUSKY_PRE_COMMIT = `# fluxgate: checks the staged change (see .lintstagedrc.mjs), deletions included.
lint-staged --diff-filter=ACMRD
`;

export const LINT_STAGED_FILE = '.lintstagedrc.mjs';

/**
 * One `fluxgate validate --staged` per commit, whatever is staged: fluxgate reads the staged
 * change itself (deletions included) and widens it to every build it affects, so the task takes
 * no file arguments (a function returning the command: lint-staged appends none).
 */
export const LINT_STAGED_CONFIG = `// fluxgate reads the staged change itself and checks every build it affects: one run per commit.
export default { '*': () => 'fluxgate validate --staged' };
`;

export const MINIMAL_PACKAGE_JSON = `${JSON.stringify(
  { name: 'gitops', private: true, scripts: { prepare: 'husky' } },
  null,
  2,
)}\n`;

export const INSTALL_COMMAND = 'npm i -D fluxgate-cli husky lint-staged';
