// Kubernetes schemas from a real kube-apiserver (built from k8s.io/kubernetes at
// KUBERNETES_VERSION, tools/versions.env): its /openapi/v3 documents, one per group-version
// (https://kubernetes.io/docs/concepts/overview/kubernetes-api/#openapi-v3), merged into one
// set of shared definitions; kinds come from x-kubernetes-group-version-kind. /openapi/v2 is
// read too, to check that v3 covers every kind v2 lists.

import type { KindEntry } from './generate-flux.js';
import { startApiServer } from './kube-apiserver.js';
import { stripDocs } from './lib.js';

type Schema = Record<string, unknown>;
interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const gvkKey = (g: Gvk) => `${g.group ? `${g.group}/` : ''}${g.version}/${g.kind}`;

/** `#/components/schemas/X` (v3) -> `#/definitions/X`; an object without fields keeps anything. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (!value || typeof value !== 'object') return value;
  const out: Schema = {};
  for (const [k, v] of Object.entries(value as Schema)) {
    if (k === '$ref' && typeof v === 'string') out[k] = v.replace('#/components/schemas/', '#/definitions/');
    else if (k === 'properties')
      out[k] = Object.fromEntries(Object.entries(v as Schema).map(([n, s]) => [n, normalize(s)]));
    else out[k] = normalize(v);
  }
  // Built-in types like RawExtension or FieldsV1 are `type: object` with no fields listed:
  // the API server accepts any content there, which structural schemas spell this way.
  if (out.type === 'object' && !out.properties && !out.additionalProperties && !out.$ref)
    out['x-kubernetes-preserve-unknown-fields'] = true;
  return out;
}

/**
 * The kinds a definition is the schema of. apimachinery's meta types (DeleteOptions,
 * WatchEvent, Status) are registered in every group-version but are not objects one writes.
 */
function gvksOf(def: string, schema: Schema): Gvk[] {
  if (def.startsWith('io.k8s.apimachinery.pkg.apis.meta.')) return [];
  return (schema['x-kubernetes-group-version-kind'] as Gvk[] | undefined) ?? [];
}

export async function generateKubernetes(): Promise<{
  definitions: Record<string, unknown>;
  kinds: Record<string, KindEntry>;
}> {
  const server = await startApiServer();
  try {
    const index = (await server.get('/openapi/v3')) as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    const definitions: Record<string, unknown> = {};
    const kinds: Record<string, KindEntry> = {};
    for (const name of Object.keys(index.paths).sort()) {
      const doc = (await server.get(index.paths[name]!.serverRelativeURL)) as {
        components?: { schemas?: Record<string, Schema> };
      };
      for (const [def, schema] of Object.entries(doc.components?.schemas ?? {})) {
        definitions[def] ??= normalize(stripDocs(schema));
        const gvks = gvksOf(def, schema);
        for (const gvk of gvks) if (!gvk.kind.endsWith('List')) kinds[gvkKey(gvk)] ??= { ref: def };
      }
    }
    const v2 = (await server.get('/openapi/v2')) as { definitions: Record<string, Schema> };
    const missing = Object.entries(v2.definitions)
      .flatMap(([def, s]) => gvksOf(def, s))
      .map(gvkKey)
      .filter((k) => !k.endsWith('List') && !kinds[k]);
    if (missing.length > 0)
      throw new Error(`/openapi/v3 lacks kinds that /openapi/v2 has: ${missing.join(', ')}`);
    return { definitions, kinds };
  } finally {
    await server.stop();
  }
}
