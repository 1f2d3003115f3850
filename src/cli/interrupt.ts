import { removeAllTempDirs } from '../render/workspace/temp-dirs.js';
import type { CliIo } from './io.js';

/**
 * The environment external tools are looked up and run in: the process's, with the injected one
 * on top (tests inject a few variables; PATH and HOME still come from the process).
 */
export function toolEnv(io: CliIo): Record<string, string | undefined> {
  return io.exactEnv ? { ...io.env } : { ...process.env, ...io.env };
}

/**
 * Runs `task` with Ctrl-C and SIGTERM handled: the first signal aborts (kustomize process groups
 * are killed, temporary build directories removed), a second one exits at once. Temporary
 * directories are also removed if the process exits while the task runs. `outer` aborting (the
 * daemon's client went away) is a first signal.
 */
export async function withInterrupts<T>(
  task: (signal: AbortSignal) => Promise<T>,
  outer?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const onOuter = () => controller.abort();
  if (outer?.aborted) controller.abort();
  outer?.addEventListener('abort', onOuter, { once: true });
  let signals = 0;
  const onSignal = () => {
    signals++;
    controller.abort();
    removeAllTempDirs();
    if (signals > 1) process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', removeAllTempDirs);
  try {
    return await task(controller.signal);
  } finally {
    outer?.removeEventListener('abort', onOuter);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', removeAllTempDirs);
  }
}
