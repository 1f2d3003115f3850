// CRD manifests -> catalog entries: one per CRD, its served versions' openAPIV3Schema minus
// documentation. CEL rules (x-kubernetes-validations) and every other x-kubernetes-* keyword
// are kept: they are what the API server enforces.
// https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/
// js-yaml, not yaml: some projects' CRD files (flagger's) have multi-line quoted scalars whose
// continuation lines are indented as Go's YAML allows and `yaml` rejects.
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { stripDocs } from '../schemas/lib.js';

export interface CatalogCrd {
  /** metadata.name: `<plural>.<group>`. */
  name: string;
  group: string;
  kind: string;
  namespaced: boolean;
  /** Served version -> schema. */
  versions: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every apiextensions.k8s.io/v1 CRD of a manifest file (other documents are skipped). */
export function crdsOf(text: string, file: string): CatalogCrd[] {
  const out: CatalogCrd[] = [];
  let docs: unknown[];
  try {
    // The core schema: a bare date stays a string, as Kubernetes' YAML-to-JSON leaves it.
    docs = loadAll(text, undefined, { schema: CORE_SCHEMA });
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  for (const value of docs) {
    if (!isRecord(value) || value.kind !== 'CustomResourceDefinition') continue;
    if (value.apiVersion !== 'apiextensions.k8s.io/v1')
      throw new Error(`${file}: ${String(value.apiVersion)} CRDs are not served since Kubernetes 1.22`);
    const spec = value.spec as {
      group: string;
      names: { kind: string; plural: string };
      scope: string;
      versions: { name: string; served?: boolean; schema?: { openAPIV3Schema?: unknown } }[];
    };
    const versions: Record<string, unknown> = {};
    for (const v of spec.versions) {
      if (v.served === false) continue;
      versions[v.name] = v.schema?.openAPIV3Schema
        ? stripDocs(v.schema.openAPIV3Schema)
        : // Only possible with preserveUnknownFields: the version accepts anything.
          { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    }
    if (Object.keys(versions).length === 0) continue;
    const name = isRecord(value.metadata) ? String(value.metadata.name) : '';
    if (name !== `${spec.names.plural}.${spec.group}`)
      throw new Error(`${file}: CRD name ${name} is not <plural>.<group>`);
    out.push({
      name,
      group: spec.group,
      kind: spec.names.kind,
      namespaced: spec.scope === 'Namespaced',
      versions,
    });
  }
  return out;
}

/** SPDX id of a licence text, for the few licences the catalog's projects use. */
export function spdxOf(text: string): string | undefined {
  const head = text.slice(0, 2000);
  if (/GNU AFFERO GENERAL PUBLIC LICENSE\s+Version 3/i.test(head)) return 'AGPL-3.0';
  if (/Apache License\s+Version 2\.0/i.test(head)) return 'Apache-2.0';
  if (/Mozilla Public License,? [Vv]ersion 2\.0/.test(head)) return 'MPL-2.0';
  if (/Redistribution and use in source and binary forms/.test(head) && /Neither the name/.test(head))
    return 'BSD-3-Clause';
  if (/^\s*(The )?MIT License/i.test(head) || /Permission is hereby granted, free of charge/.test(head))
    return 'MIT';
  return undefined;
}
