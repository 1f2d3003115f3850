import { spawnSync } from 'node:child_process';

export interface Sample {
  wallMs: number;
  cpuMs: number;
  /** Peak resident memory of the largest process in the tree (getrusage of children), in MB. */
  peakMb: number;
  exitCode: number;
}

/** Runs a command under GNU time and reads its wall, CPU and peak memory. */
export function measure(command: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Sample {
  const result = spawnSync('/usr/bin/time', ['-f', '@@ %e %U %S %M', ...command], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const line = (result.stderr ?? '').split('\n').find((l) => l.startsWith('@@ '));
  if (!line) throw new Error(`could not time ${command.join(' ')}: ${result.stderr}`);
  const [, wall, user, sys, rss] = line.split(' ').map(Number) as [number, number, number, number, number];
  return {
    wallMs: wall * 1000,
    cpuMs: (user + sys) * 1000,
    peakMb: rss / 1024,
    exitCode: result.status ?? -1,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function spread(values: number[]): number {
  return Math.max(...values) - Math.min(...values);
}
