/**
 * Fields of a kubeconfig's `users` entries that hold credentials (client-go's clientcmd api:
 * AuthInfo; auth-provider `config` keys; exec `env` values), read line by line so a kubeconfig
 * that is not valid YAML gives its credentials too.
 */
const CREDENTIAL =
  /^\s*(?:-\s+)?["']?(token|client-key-data|client-certificate-data|password|username|id-token|refresh-token|access-token|client-secret|secret|value)["']?\s*:\s*(.*?)\s*$/;

const unquote = (text: string) => text.replace(/^(["'])(.*)\1$/, '$2');

/**
 * The credentials a kubeconfig's text holds, as written and (for the `-data` fields) decoded:
 * secret values that no message may quote.
 */
export function kubeconfigSecrets(text: string): (string | Uint8Array)[] {
  const out: (string | Uint8Array)[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = CREDENTIAL.exec(line);
    if (!match || match[2] === '' || /^[|>]/.test(match[2]!)) continue;
    const value = unquote(match[2]!.replace(/\s#.*$/, ''));
    out.push(value);
    if (match[1]!.endsWith('-data')) out.push(Buffer.from(value, 'base64'));
  }
  return out;
}

/** A YAML parser's error without the excerpt of the file it quotes (it may show credentials). */
export function yamlErrorSummary(error: unknown): string {
  const e = error as { reason?: unknown; mark?: { line?: unknown; column?: unknown } };
  if (typeof e.reason === 'string' && typeof e.mark?.line === 'number') {
    const column = typeof e.mark.column === 'number' ? `, column ${e.mark.column + 1}` : '';
    return `${e.reason} at line ${e.mark.line + 1}${column}`;
  }
  // Anything else: its first line only (an excerpt, if any, follows it).
  return String((error as Error)?.message ?? error).split('\n')[0]!;
}
