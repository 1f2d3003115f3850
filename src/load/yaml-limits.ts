// The bounds fluxgate reads YAML within, each the limit of what Flux (go-yaml, the Kubernetes API
// server) accepts, so that a document past one is a finding rather than a slow path or a crash.

/**
 * The largest YAML document (its text, or its value once aliases are expanded) fluxgate reads:
 * 3 MiB, the most the Kubernetes API server accepts in one request (k8s.io/apiserver
 * `MaxRequestBodyBytes`; etcd itself stores at most 1.5 MiB per object by default). Flux cannot
 * apply a larger object.
 */
export const MAX_DOCUMENT_BYTES = 3 * 1024 * 1024;

/**
 * A file larger than this is not read at all (a repository file of 64 MiB holds no document
 * Flux can apply, and reading it whole would cost its size several times over in memory).
 */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * go-yaml's nesting limit (scannerc.go `max_flow_level` and `max_indents`: "exceeded max depth of
 * 10000"), which Kubernetes' JSON decoding shares (apimachinery util/json `maxDepth`).
 */
export const MAX_DEPTH = 10_000;

/** go-yaml's implicit key limit: the `:` at most 1024 characters after the key's start. */
export const MAX_IMPLICIT_KEY = 1024;

/**
 * go-yaml v3 decode.go `allowedAliasRatio`: the share of decode operations that may come from
 * expanding aliases, 99% for documents up to 400,000 of them, falling to 10% at 4,000,000. The
 * check only applies past 1,000 decodes and 100 alias-driven ones.
 */
export function allowedAliasRatio(decodeCount: number): number {
  const low = 400_000;
  const high = 4_000_000;
  if (decodeCount <= low) return 0.99;
  if (decodeCount >= high) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - low) / (high - low));
}

export function excessiveAliasing(decodeCount: number, aliasCount: number): boolean {
  return aliasCount > 100 && decodeCount > 1000 && aliasCount / decodeCount > allowedAliasRatio(decodeCount);
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
