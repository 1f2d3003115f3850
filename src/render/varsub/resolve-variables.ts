// fluxcd/pkg kustomize v1.35 `LoadVariables` plus the inline map of `SubstituteVariables`:
// `substituteFrom` is read in order, each source's keys overriding earlier ones, then
// `postBuild.substitute` overrides everything. Every value has "\n" removed (only LF: a CR stays).
// ConfigMaps contribute `data` (not `binaryData`); Secrets contribute `data`, base64-decoded, as the
// API server returns it, which already includes `stringData` (merged in on write, winning over `data`).
// A reference that is not found fails the build unless `optional: true`; kinds other than ConfigMap
// and Secret are ignored (the CRD only admits those two).

export interface SubstituteReference {
  kind: string;
  name: string;
  optional?: boolean;
}

export interface PostBuild {
  substitute?: Record<string, unknown> | null;
  substituteFrom?: readonly SubstituteReference[] | null;
  /** kustomize-controller api v1 (Flux 2.9): 'WithVariables' (default) or 'Always'. */
  substituteStrategy?: string | null;
}

export type SourceKind = 'ConfigMap' | 'Secret';

export type LookupResult =
  | { status: 'found'; object: unknown }
  | { status: 'not-found' }
  /** The source exists but its values cannot be known (e.g. SOPS-encrypted, or generated elsewhere). */
  | { status: 'unknown'; reason?: string };

/** Finds a ConfigMap or Secret by kind and name; the caller supplies the Kustomization's namespace. */
export type SourceLookup = (ref: { kind: SourceKind; name: string }) => LookupResult;

export interface MissingSource {
  kind: SourceKind;
  name: string;
  optional: boolean;
}

export interface UnknownSource {
  kind: SourceKind;
  name: string;
  reason: string;
  /** The keys the source defines, when they can be seen (e.g. keys of an encrypted Secret). */
  keys: string[];
}

export interface ResolvedVariables {
  vars: Record<string, string>;
  /** References not found; a non-optional one fails Flux's build. */
  missing: MissingSource[];
  /** True when some source could not be read; `vars` then lacks its values. */
  unknown: boolean;
  unknownSources: UnknownSource[];
}

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/**
 * The API server stores strings; a YAML number or boolean in a manifest would be rejected there, so it
 * is read as its text here and left to the schema checks to report.
 */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function stripNewlines(value: string): string {
  return value.replaceAll('\n', '');
}

function decodeBase64(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

export type SourceData =
  | { ok: true; data: Map<string, string> }
  | { ok: false; reason: string; keys: string[] };

export function configMapData(object: unknown): SourceData {
  const data = new Map<string, string>();
  for (const [key, value] of Object.entries(record(record(object).data))) {
    const text = scalarText(value);
    if (text !== undefined) data.set(key, text);
  }
  return { ok: true, data };
}

export function secretData(object: unknown): SourceData {
  const secret = record(object);
  const encoded = record(secret.data);
  const plain = record(secret.stringData);
  const keys = [...new Set([...Object.keys(encoded), ...Object.keys(plain)])];
  if ('sops' in secret) return { ok: false, reason: 'SOPS-encrypted', keys };
  const data = new Map<string, string>();
  for (const [key, value] of Object.entries(encoded)) {
    const decoded = typeof value === 'string' ? decodeBase64(value) : undefined;
    if (decoded === undefined) return { ok: false, reason: `data.${key} is not valid base64`, keys };
    data.set(key, decoded);
  }
  for (const [key, value] of Object.entries(plain)) {
    const text = scalarText(value);
    if (text !== undefined) data.set(key, text);
  }
  return { ok: true, data };
}

export function resolveVariables(
  postBuild: PostBuild | null | undefined,
  lookup: SourceLookup,
): ResolvedVariables {
  const vars: Record<string, string> = Object.create(null);
  const missing: MissingSource[] = [];
  const unknownSources: UnknownSource[] = [];
  for (const ref of postBuild?.substituteFrom ?? []) {
    if (ref.kind !== 'ConfigMap' && ref.kind !== 'Secret') continue;
    const kind: SourceKind = ref.kind;
    const found = lookup({ kind, name: ref.name });
    if (found.status === 'not-found') {
      missing.push({ kind, name: ref.name, optional: ref.optional === true });
      continue;
    }
    if (found.status === 'unknown') {
      unknownSources.push({ kind, name: ref.name, reason: found.reason ?? 'not readable', keys: [] });
      continue;
    }
    const source = kind === 'ConfigMap' ? configMapData(found.object) : secretData(found.object);
    if (!source.ok) {
      unknownSources.push({ kind, name: ref.name, reason: source.reason, keys: source.keys });
      continue;
    }
    for (const [key, value] of source.data) vars[key] = stripNewlines(value);
  }
  for (const [key, value] of Object.entries(record(postBuild?.substitute))) {
    const text = scalarText(value);
    if (text !== undefined) vars[key] = stripNewlines(text);
  }
  return { vars, missing, unknown: unknownSources.length > 0, unknownSources };
}
