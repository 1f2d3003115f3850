/**
 * conftest's rule conventions (https://www.conftest.dev/): in a package, the sets `deny`,
 * `violation` and `warn`, each optionally with a `_name` suffix, hold messages: strings, or
 * objects with `msg` (and for fluxgate, `path`: a JSON pointer into the input). `exception`
 * lists rule names (the part after `deny_`/`warn_`/`violation_`) whose results are dropped.
 */
export interface PolicyResult {
  /** Package path, slash-separated. */
  pkg: string;
  /** The rule that produced it, e.g. `deny_latest_tag`. */
  rule: string;
  kind: 'deny' | 'violation' | 'warn';
  message: string;
  /** JSON pointer into the input, when the policy gave one. */
  path?: string;
  /** The object result as the policy returned it (for METADATA-less custom fields). */
  details?: Record<string, unknown>;
}

const RULE = /^(deny|violation|warn)(?:_(\w+))?$/;

function exceptedNames(value: unknown): Set<string> {
  const names = new Set<string>();
  const visit = (v: unknown) => {
    if (typeof v === 'string') names.add(v);
    else if (Array.isArray(v)) v.forEach(visit);
  };
  visit(value);
  return names;
}

function toPointer(path: unknown): string | undefined {
  if (typeof path === 'string')
    return path === '' || path.startsWith('/') ? path : `/${path.replaceAll('.', '/')}`;
  if (Array.isArray(path))
    return path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
  return undefined;
}

function message(item: unknown): { message: string; path?: string; details?: Record<string, unknown> } {
  if (typeof item === 'string') return { message: item };
  if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
    const o = item as Record<string, unknown>;
    const msg = typeof o.msg === 'string' ? o.msg : JSON.stringify(o);
    const path = toPointer(o.path);
    return { message: msg, ...(path !== undefined ? { path } : {}), details: o };
  }
  return { message: JSON.stringify(item) };
}

/** The results of one package's document (the value of its entrypoint). */
export function packageResults(pkg: string, document: unknown): PolicyResult[] {
  if (typeof document !== 'object' || document === null) return [];
  const doc = document as Record<string, unknown>;
  const excepted = exceptedNames(doc.exception);
  const out: PolicyResult[] = [];
  // Sorted by rule name: the wasm's object key order is not a contract.
  for (const [rule, value] of Object.entries(doc).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const match = RULE.exec(rule);
    if (!match || !Array.isArray(value)) continue;
    // conftest: an exception names the rule without its prefix; "" names plain deny/violation/warn.
    if (excepted.has(match[2] ?? '')) continue;
    for (const item of value)
      out.push({ pkg, rule, kind: match[1] as PolicyResult['kind'], ...message(item) });
  }
  return out;
}
