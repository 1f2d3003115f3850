/** `.husky/pre-commit`: lint-staged runs fluxgate on the staged YAML files. */
export const HUSKY_PRE_COMMIT = `# fluxgate: checks the staged Flux manifests (see .lintstagedrc.json).
npx --no-install lint-staged
`;

/**
 * lint-staged appends the staged files (absolute paths) to the command; fluxgate widens them
 * to the build targets they affect.
 */
export const LINT_STAGED_CONFIG = `${JSON.stringify({ '*.{yaml,yml}': 'fluxgate validate' }, null, 2)}\n`;

export const MINIMAL_PACKAGE_JSON = `${JSON.stringify(
  { name: 'gitops', private: true, scripts: { prepare: 'husky' } },
  null,
  2,
)}\n`;

export const INSTALL_COMMAND = 'npm i -D husky lint-staged fluxgate';
