import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { ToolError } from '../core/errors.js';
import { packageFile } from '../core/package-files.js';
import { locatePinnedTool } from '../tools/locate-tool.js';

type Env = Readonly<Record<string, string | undefined>>;

function onPath(name: string, env: Env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The opa that compiles user policies: the pinned tools cache, else `opa` on PATH; else a ToolError (exit 2). */
export function locateOpa(env: Env, why: string): string {
  const pinned = locatePinnedTool('opa', env);
  if (pinned?.installed) return pinned.path;
  const found = onPath('opa', env);
  if (found) return found;
  throw new ToolError(
    `${why} needs opa, which is neither in the tools cache${pinned ? ` (${pinned.path})` : ''} nor on PATH: ` +
      `install opa${pinned ? ` ${pinned.version}` : ''} and put it on PATH (https://www.openpolicyagent.org/docs/#1-download-opa)` +
      // The install script ships only in a clone of fluxgate, not in the npm package.
      (existsSync(packageFile('scripts/install-tools.sh'))
        ? ' (in a clone of fluxgate: `npm run tools`)'
        : ''),
  );
}
