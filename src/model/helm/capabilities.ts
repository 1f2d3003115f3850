import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { packageFile } from '../../core/package-files.js';
import { isRecord } from '../../load/resource.js';
import type { RenderedResource } from '../../render/types.js';
import { toolPins } from '../../tools/locate-tool.js';

let builtin: { version: string; apiVersions: string[] } | undefined;

/**
 * The API groups, versions and kinds a Kubernetes API server serves, read from the bundled
 * Kubernetes schemas (generated from a real kube-apiserver's OpenAPI): what helm-controller's
 * discovery would list, alpha versions left out (they are off unless a cluster turns them on).
 */
function builtinApis(): { version: string; apiVersions: string[] } {
  if (builtin) return builtin;
  builtin = { version: '', apiVersions: [] };
  try {
    const dir = packageFile('schemas');
    const index = JSON.parse(readFileSync(`${dir}/index.json`, 'utf8')) as {
      bundles: { file: string; source: string; version: string }[];
    };
    const bundle = index.bundles.find((b) => b.source === 'kubernetes');
    if (!bundle) return builtin;
    const data = JSON.parse(gunzipSync(readFileSync(`${dir}/${bundle.file}`)).toString('utf8')) as {
      kinds: Record<string, unknown>;
    };
    const set = new Set<string>();
    for (const gvk of Object.keys(data.kinds)) {
      const kind = gvk.slice(gvk.lastIndexOf('/') + 1);
      const gv = gvk.slice(0, gvk.lastIndexOf('/'));
      if (/alpha/.test(gv.slice(gv.lastIndexOf('/') + 1))) continue;
      set.add(gv).add(`${gv}/${kind}`);
    }
    builtin = { version: bundle.version, apiVersions: [...set].sort() };
  } catch {
    // No bundled schemas: Helm's defaults alone.
  }
  return builtin;
}

/**
 * The cluster's Kubernetes version for Helm's `.Capabilities.KubeVersion`: `clusters.<name>.
 * kubernetesVersion`, else the version of the bundled Kubernetes schemas (the pinned kube-apiserver).
 */
export function kubeVersion(configured: string | undefined): string | undefined {
  const version = configured ?? (builtinApis().version || toolPins().get('KUBERNETES_VERSION'));
  if (!version) return undefined;
  const v = version.startsWith('v') ? version : `v${version}`;
  return /^v\d+\.\d+$/.test(v) ? `${v}.0` : v;
}

/**
 * `.Capabilities.APIVersions` as helm-controller's discovery of the cluster gives them (Helm's
 * GetVersionSet: every `group/version` and `group/version/Kind`): Kubernetes' own APIs and those
 * of the CustomResourceDefinitions the cluster's manifests install (served versions).
 */
export function apiVersions(objects: Iterable<Pick<RenderedResource, 'id' | 'value'>>): string[] {
  const set = new Set(builtinApis().apiVersions);
  for (const o of objects) {
    if (o.id.kind !== 'CustomResourceDefinition' || !o.id.apiVersion.startsWith('apiextensions.k8s.io/'))
      continue;
    const spec = isRecord(o.value.spec) ? o.value.spec : {};
    const group = typeof spec.group === 'string' ? spec.group : undefined;
    const kind = isRecord(spec.names) && typeof spec.names.kind === 'string' ? spec.names.kind : undefined;
    if (!group || !kind || !Array.isArray(spec.versions)) continue;
    for (const v of spec.versions)
      if (isRecord(v) && typeof v.name === 'string' && v.served !== false)
        set.add(`${group}/${v.name}`).add(`${group}/${v.name}/${kind}`);
  }
  return [...set].sort();
}
