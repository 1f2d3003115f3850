// A hostile input: files fluxgate must survive, and what it must say about them. Cases are
// written side by side into one repository (cases/<name>/...) and checked in few runs.

export type FileSpec = string | Uint8Array | { symlink: string } | { fifo: true };

export interface Expected {
  /** Relative to the case directory; `@cluster/<file>` for the cluster's directory. */
  file: string;
  ruleId: string;
  /** Part of the message. */
  message?: string;
}

export interface HostileCase {
  name: string;
  /** Paths relative to the case directory. */
  files: Record<string, FileSpec>;
  /** Findings the run must report. */
  expect?: Expected[];
  /** No finding at all in the case directory. */
  silent?: true;
  /**
   * Rendered by a Flux Kustomization of the repository's cluster (clusters/hostile/<name>.yaml),
   * with `path` relative to the case directory and extra `spec` lines (two-space indented).
   */
  flux?: { path?: string; spec?: string };
}

export const cm = (name: string, data = '  a: b\n') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n${data}`;

export const kustomization = (resources: string[], extra = '') =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}`).join('\n')}\n${extra}`;

/** A list of ten aliases nested `levels` deep: the "billion laughs". */
export function aliasBomb(levels: number, width = 10): string {
  const lines = [`x0: &a0 [${Array(width).fill('lol').join(', ')}]`];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `x${i}: &a${i} [${Array(width)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `apiVersion: v1\nkind: List\nmetadata:\n  name: bomb\n${lines.join('\n')}\n`;
}

/** The same through merge keys (`<<: *a`). */
export function mergeBomb(levels: number): string {
  const lines = ['a0: &a0 {k: v}'];
  for (let i = 1; i <= levels; i++) {
    const items = Array.from({ length: 10 }, (_, j) => `k${j}: {<<: *a${i - 1}}`).join(', ');
    lines.push(`a${i}: &a${i} {${items}}`);
  }
  return `${lines.join('\n')}\n`;
}

export const deepFlow = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

/** A block mapping `n` levels deep, one space per level. */
export function deepBlock(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += `${' '.repeat(i)}k${i}:\n`;
  return `${out}${' '.repeat(n)}v: 1\n`;
}

/** A flow mapping nested `n` levels (one line: no quadratic indentation). */
export const deepFlowMap = (n: number) => `${'{k: '.repeat(n)}1${'}'.repeat(n)}`;
