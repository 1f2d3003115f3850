import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { contentKey } from '../../cache/store.js';

/**
 * Where a chart comes from when it is not in the repository: a chart repository (HTTP index or OCI)
 * and a version constraint, or an OCI reference pinned by digest.
 */
export interface ChartRef {
  repository: string;
  chart: string;
  version: string;
  digest?: string;
  insecure?: boolean;
}

/** A chart in the cache: the archive (content-addressed by its sha256) and the version it is. */
export interface CachedChart {
  file: string;
  version: string;
  /** `sha256:<hex>` of the archive. */
  digest: string;
}

/**
 * The chart cache, in fluxgate's cache directory (`charts/`): archives as `sha256/<hex>.tgz`, named
 * by their content (so a file is what its name says, whoever wrote it), and one small record per
 * chart reference saying which archive and version it resolved to when it was pulled. A run reads
 * the records and never the network; `network.charts: true` or `fluxgate charts pull` writes them.
 */
export class ChartCache {
  constructor(readonly dir: string) {}

  private record(ref: ChartRef): string {
    const key = contentKey('chart-ref', ref.repository, ref.chart, ref.version, ref.digest ?? '');
    return path.join(this.dir, 'refs', key.slice(0, 2), `${key}.json`);
  }

  /** The archive a reference resolved to last time, when it is still there and still its digest's. */
  get(ref: ChartRef): CachedChart | undefined {
    try {
      const known = JSON.parse(readFileSync(this.record(ref), 'utf8')) as { version: string; digest: string };
      const hex = /^sha256:([0-9a-f]{64})$/.exec(known.digest)?.[1];
      if (!hex || typeof known.version !== 'string') return undefined;
      const file = path.join(this.dir, 'sha256', `${hex}.tgz`);
      if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return undefined;
      return { file, version: known.version, digest: known.digest };
    } catch {
      return undefined;
    }
  }

  /** Remembers what a reference resolved to (the archive is already stored by helm-server). */
  set(ref: ChartRef, chart: CachedChart): void {
    const file = this.record(ref);
    const temp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      // No credentials here: the URL is stored as the user wrote it, minus any user information.
      const record = { repository: withoutUser(ref.repository), chart: ref.chart, constraint: ref.version };
      writeFileSync(temp, JSON.stringify({ ...record, version: chart.version, digest: chart.digest }), {
        mode: 0o600,
      });
      renameSync(temp, file);
    } catch {
      rmSync(temp, { force: true });
    }
  }
}

/** A text without the `user:password@` of the URLs in it, for messages and records. */
export function withoutUser(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1');
}
