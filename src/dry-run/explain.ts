/** A Kubernetes `Status` (metav1.Status) as the API server returns it for a refused request. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: { reason?: string; message?: string; field?: string }[]; retryAfterSeconds?: number };
}

/**
 * A field path of the API server's validation (k8s.io/apimachinery field.Path: `spec.ports[0].nodePort`,
 * `metadata.labels[app.kubernetes.io/name]`) as a JSON pointer into the object. Undefined when it does
 * not parse (the finding then goes to the object's first line).
 */
export function fieldPathToPointer(field: string | undefined): string | undefined {
  if (!field) return undefined;
  const parts: string[] = [];
  let i = 0;
  let current = '';
  while (i < field.length) {
    const c = field[i]!;
    if (c === '.') {
      if (current !== '') parts.push(current);
      current = '';
      i++;
    } else if (c === '[') {
      if (current !== '') parts.push(current);
      current = '';
      const end = field.indexOf(']', i);
      if (end < 0) return undefined;
      parts.push(field.slice(i + 1, end));
      i = end + 1;
    } else {
      current += c;
      i++;
    }
  }
  if (current !== '') parts.push(current);
  if (parts.length === 0) return undefined;
  return parts.map((p) => `/${p.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** What the server's refusal means, in words a person reading a pull request understands. */
export function explainRefusal(status: KubeStatus, httpStatus: number): string {
  const message =
    (status.message ?? (typeof status === 'string' ? status : '')).trim() || `HTTP ${httpStatus}`;
  const webhook = /admission webhook "([^"]+)" denied the request:?\s*(.*)$/s.exec(message);
  if (webhook) return `the admission webhook ${webhook[1]} denies it: ${webhook[2] || 'no reason given'}`;
  const policy = /ValidatingAdmissionPolicy '([^']+)' with binding '([^']+)' denied request:?\s*(.*)$/s.exec(
    message,
  );
  if (policy)
    return `the ValidatingAdmissionPolicy ${policy[1]} (binding ${policy[2]}) denies it: ${policy[3] || 'no reason given'}`;
  const quota = /exceeded quota: ([^,]+), requested: ([^,]+), used: ([^,]+), limited: (.+)$/s.exec(message);
  if (quota)
    return `it exceeds the ResourceQuota ${quota[1]}: requested ${quota[2]}, used ${quota[3]}, limit ${quota[4]}`;
  if (status.reason === 'Forbidden' || httpStatus === 403) return `the API server forbids it: ${message}`;
  if (status.reason === 'NotFound' || httpStatus === 404) return `the API server cannot apply it: ${message}`;
  return `the API server rejects it: ${message}`;
}

export function isImmutableFieldChange(status: KubeStatus): boolean {
  return (
    (status.details?.causes ?? []).some((c) => /field is immutable/.test(c.message ?? '')) ||
    /field is immutable/.test(status.message ?? '')
  );
}
