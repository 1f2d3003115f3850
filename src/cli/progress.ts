import type { CliIo } from './io.js';

export interface Progress {
  update(stage: string, done?: number, total?: number): void;
  /** Erases the line, before findings are printed. */
  clear(): void;
}

const NONE: Progress = { update() {}, clear() {} };

/**
 * One self-overwriting line on stderr (stage, done/total) while a long run works. Only on a
 * terminal: never in CI logs (CI set), pipes, with --quiet or with --debug (which prints lines).
 */
export function progressLine(io: CliIo, options: { quiet: boolean; debug: boolean }): Progress {
  if (!io.stderr.isTTY || options.quiet || options.debug || io.env.CI) return NONE;
  let shown = false;
  let last = 0;
  return {
    update(stage, done, total) {
      const now = Date.now();
      if (shown && now - last < 80 && done !== total) return; // at most ~12 redraws a second
      last = now;
      shown = true;
      const count = total ? ` ${done ?? 0}/${total}` : '';
      io.stderr.write(`\r\u001b[K${stage}${count}…`);
    },
    clear() {
      if (shown) io.stderr.write('\r\u001b[K');
      shown = false;
    },
  };
}
