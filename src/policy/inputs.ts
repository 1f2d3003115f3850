import { jsonBuffer } from './policy-module.js';
import type { Subject, SubjectGroup } from './subjects.js';

/** `data` for one evaluation: `{"fluxgate": context}` (policies/schemas/data), serialized by hand once per input. */
export function dataJson(
  config: string,
  group: Pick<SubjectGroup, 'cluster' | 'environment'> | undefined,
  subject: Pick<Subject, 'context' | 'owner'> | undefined,
): ArrayBuffer {
  return jsonBuffer(
    `{"fluxgate":{"version":1,"config":${config},"cluster":${JSON.stringify(group?.cluster ?? null)},` +
      `"environment":${JSON.stringify(group?.environment ?? null)},` +
      `"resource":${JSON.stringify(subject?.context ?? null)},"kustomization":${JSON.stringify(subject?.owner ?? null)}}}`,
  );
}

/**
 * Cluster-scope input: the group's objects in a stable order (file, then document); with `kinds`,
 * only objects of those kinds (what the set's rules declare they read).
 */
export function clusterInput(
  group: SubjectGroup,
  kinds?: ReadonlySet<string>,
): { json: ArrayBuffer; order: Subject[] } {
  const subjects = kinds ? group.subjects.filter((s) => kinds.has(s.id.kind)) : group.subjects;
  const order = [...subjects].sort(
    (a, b) =>
      (a.context.file < b.context.file ? -1 : a.context.file > b.context.file ? 1 : 0) ||
      a.context.document - b.context.document,
  );
  const resources = order.map((s) => ({ object: s.value, resource: s.context, kustomization: s.owner }));
  return { json: jsonBuffer(JSON.stringify({ version: 1, cluster: group.cluster, resources })), order };
}
