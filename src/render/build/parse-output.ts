import { isRecord } from '../../load/resource.js';
import { goYamlToJson } from '../varsub/go-yaml/decode.js';

/**
 * kustomize's output, one object per document, read as the API server will read it
 * (sigs.k8s.io/yaml: go-yaml v2, YAML 1.1 scalars), not with JavaScript's YAML 1.2 rules.
 * kustomize separates documents with a `---` line at column 0, which block scalars (always
 * indented) cannot contain.
 */
export function parseKustomizeOutput(stdout: string): { objects: Record<string, unknown>[]; error?: string } {
  const objects: Record<string, unknown>[] = [];
  for (const chunk of stdout.split(/^---[ \t]*$/m)) {
    if (chunk.trim() === '') continue;
    const decoded = goYamlToJson(chunk);
    if (!decoded.ok) return { objects, error: decoded.message };
    if (isRecord(decoded.value)) objects.push(decoded.value);
  }
  return { objects };
}
