import { locatePinnedTool } from '../../src/tools/locate-tool.js';

/** The pinned tool's binary (installed by `npm run tools`, which `npm test` runs first). */
export function pinnedTool(name: string): string {
  const tool = locatePinnedTool(name, process.env);
  if (!tool?.installed) {
    throw new Error(`${name} is not installed in the tools cache: run \`npm run tools\` (npm test does)`);
  }
  return tool.path;
}
