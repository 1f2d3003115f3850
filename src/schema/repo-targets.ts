import { existsSync } from 'node:fs';
import path from 'node:path';
import { isRecord, type SourceFile } from '../load/resource.js';
import type { SchemaTarget } from './check-schemas.js';
import { placeholderPointers } from './placeholders.js';
import type { CrdSource } from './repo-crds.js';

const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

const stringsOf = (list: unknown, field?: string): string[] =>
  Array.isArray(list)
    ? list.flatMap((item) => {
        const v = field && isRecord(item) ? item[field] : item;
        return typeof v === 'string' && !v.includes('\n') ? [v] : [];
      })
    : [];

/**
 * Files a kustomization uses as something other than whole objects: patches (partial
 * objects), replacement sources, transformer configurations, OpenAPI schemas. They are never
 * validated as objects. https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/
 */
export function partialDocumentFiles(files: Iterable<SourceFile>): Set<string> {
  const out = new Set<string>();
  for (const source of files) {
    if (!KUSTOMIZATION_FILES.has(path.posix.basename(source.file))) continue;
    const dir = path.posix.dirname(source.file);
    for (const { value } of source.resources) {
      if (!isRecord(value)) continue;
      const openapi = isRecord(value.openapi) ? [value.openapi.path] : [];
      const referenced = [
        ...stringsOf(value.patches, 'path'),
        ...stringsOf(value.patchesStrategicMerge),
        ...stringsOf(value.patchesJson6902, 'path'),
        ...stringsOf(value.replacements, 'path'),
        ...stringsOf(value.configurations),
        ...stringsOf(openapi),
      ];
      for (const ref of referenced) out.add(path.posix.normalize(path.posix.join(dir, ref)));
    }
  }
  return out;
}

/** A Helm chart's templates (`<chart>/templates/**` beside a Chart.yaml) are Go templates, not objects. */
function isChartTemplate(file: string, root: string, files: ReadonlyMap<string, SourceFile>): boolean {
  const parts = file.split('/');
  const at = parts.lastIndexOf('templates');
  if (at < 0) return false;
  const chart = [...parts.slice(0, at), 'Chart.yaml'].join('/');
  return files.has(chart) || existsSync(path.join(root, chart));
}

/**
 * Until rendering exists: every loaded Kubernetes object as it stands, except kustomize's own
 * configuration, partial documents (patches), Helm chart templates, and objects that use
 * `${...}` (Flux postBuild substitutes them; unsubstituted they are not what Flux applies).
 */
export function repoSchemaTargets(
  files: ReadonlyMap<string, SourceFile>,
  root: string,
): { targets: SchemaTarget[]; crds: CrdSource[] } {
  const partial = partialDocumentFiles(files.values());
  const targets: SchemaTarget[] = [];
  const crds: CrdSource[] = [];
  for (const source of [...files.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    if (partial.has(source.file) || isChartTemplate(source.file, root, files)) continue;
    for (const r of source.resources) {
      if (!r.id) continue;
      if (r.id.kind === 'CustomResourceDefinition') crds.push({ file: r.file, value: r.value });
      if (r.id.apiVersion.startsWith('kustomize.config.k8s.io/')) continue;
      // `${VAR}`s and `$VAR`s are a template's placeholders: unknown values, the rest is still checked.
      const unknown = placeholderPointers(r.value, { shell: true });
      targets.push({
        file: r.file,
        docIndex: r.docIndex,
        value: r.value,
        id: r.id,
        ...(unknown.length > 0 ? { unknown } : {}),
      });
    }
  }
  return { targets, crds };
}

/** The Flux release a repository runs: the `# Flux Version:` header of gotk-components.yaml. */
export function detectFluxVersion(files: Iterable<SourceFile>): string | undefined {
  const versions = new Set<string>();
  for (const source of files) {
    const m = /^# Flux Version: (v?\d+\.\d+\.\d+)/m.exec(source.text.slice(0, 500));
    if (m) versions.add(m[1]!);
  }
  return versions.size === 1 ? [...versions][0] : undefined;
}
