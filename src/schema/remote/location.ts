import path from 'node:path';
import { splitApiVersion } from '../types.js';

/**
 * Schema locations as kubeconform understands them (`-schema-location`): `default`, a URL or
 * a local path, either a Go template naming one file or a base that gets kubeconform's layout
 * appended. https://github.com/yannh/kubeconform#overriding-schemas-location
 */
export const DEFAULT_LOCATION =
  'https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json';
const LAYOUT =
  '/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json';

export interface Location {
  template: string;
  remote: boolean;
}

export function parseLocation(location: string, root: string): Location {
  let template = location === 'default' ? DEFAULT_LOCATION : location;
  if (!template.endsWith('json')) template = template.replace(/\/+$/, '') + LAYOUT;
  const remote = /^https?:\/\//.test(template);
  if (!remote && !path.isAbsolute(template)) template = path.join(root, template);
  return { template, remote };
}

/** The template's fields, as kubeconform's registry.schemaPath computes them. */
export function expandLocation(
  template: string,
  apiVersion: string,
  kind: string,
  kubernetesVersion: string | undefined,
): string {
  const { group, version } = splitApiVersion(apiVersion);
  const groupFirst = (group || version).split('.')[0]!.toLowerCase();
  const fields: Record<string, string> = {
    NormalizedKubernetesVersion: kubernetesVersion ? `v${kubernetesVersion.replace(/^v/, '')}` : 'master',
    StrictSuffix: '-strict',
    ResourceKind: kind.toLowerCase(),
    ResourceAPIVersion: version,
    Group: group || version,
    KindSuffix: group ? `-${groupFirst}-${version.toLowerCase()}` : `-${groupFirst}`,
  };
  return template.replace(/\{\{-?\s*\.(\w+)\s*-?\}\}/g, (all, name: string) => fields[name] ?? all);
}
