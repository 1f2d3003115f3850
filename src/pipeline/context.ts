import type { Config } from '../config/config.js';
import type { Placer } from '../load/placer.js';
import type { SourceFile } from '../load/resource.js';

/** What every stage of one run shares. */
export interface RunContext {
  root: string;
  config: Config;
  /** Loaded YAML files by repo-relative path. */
  files: Map<string, SourceFile>;
  placer: Placer;
  debug: (message: string) => void;
}
