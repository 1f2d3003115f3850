import { parseAllDocuments } from 'yaml';
import { isRecord } from '../../load/resource.js';
import type { MapNode } from '../build/closure-findings.js';
import type { SourceReader } from '../source-reader.js';
import { translatePointer, valueAt } from './pointer-translate.js';
import { repoJoin } from './resolve-origin.js';

/** A kustomization entry (or a patch file's field) that sets a value of a rendered object. */
export interface Setter {
  /** The kustomization node index (the file is its file), or a patch file. */
  node: number;
  file?: string;
  docIndex: number;
  pointer: string;
}

export interface SetterQuery {
  object: Record<string, unknown>;
  pointer: string;
  /** The object's name in its origin file (before prefixes). */
  originalName?: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** kustomize selectors match names and namespaces as anchored regular expressions. */
function regexMatch(pattern: string, value: string | undefined): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value ?? '');
  } catch {
    return pattern === value;
  }
}

function labelsMatch(selector: string, labels: unknown): boolean {
  const map = isRecord(labels) ? labels : {};
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=').map((s) => s.trim());
    if (!k) return true;
    if (v === undefined) return !k.startsWith('!') ? Object.hasOwn(map, k) : !Object.hasOwn(map, k.slice(1));
    return map[k.replace(/!$/, '')] === v;
  });
}

function selects(target: unknown, q: SetterQuery): boolean {
  if (!isRecord(target)) return false;
  const meta = isRecord(q.object.metadata) ? q.object.metadata : {};
  const api = str(q.object.apiVersion) ?? '';
  const [group, version] = api.includes('/') ? api.split('/') : ['', api];
  const names = [str(meta.name), q.originalName];
  if (str(target.kind) && target.kind !== q.object.kind) return false;
  if (str(target.group) !== undefined && target.group !== group) return false;
  if (str(target.version) && target.version !== version) return false;
  if (str(target.name) && !names.some((n) => regexMatch(target.name as string, n))) return false;
  if (str(target.namespace) && !regexMatch(target.namespace as string, str(meta.namespace))) return false;
  if (str(target.labelSelector) && !labelsMatch(target.labelSelector as string, meta.labels)) return false;
  if (str(target.annotationSelector) && !labelsMatch(target.annotationSelector as string, meta.annotations))
    return false;
  return true;
}

/** A strategic-merge patch document applies to the object when kind and name agree. */
function smpSelects(doc: unknown, q: SetterQuery): boolean {
  if (!isRecord(doc) || doc.kind !== q.object.kind) return false;
  const name = isRecord(doc.metadata) ? str(doc.metadata.name) : undefined;
  const meta = isRecord(q.object.metadata) ? q.object.metadata : {};
  return (
    name === undefined ||
    name === q.originalName ||
    name === meta.name ||
    (str(meta.name) ?? '').includes(name)
  );
}

const parsedPatches = new Map<string, unknown[]>();

/** The documents of a patch (read only), parsed once per text: every object it patches asks again. */
function parseDocs(text: string): unknown[] {
  const known = parsedPatches.get(text);
  if (known) return known;
  let docs: unknown[];
  try {
    docs = parseAllDocuments(text, { uniqueKeys: false }).map((d) => (Array.isArray(d) ? null : d.toJS()));
  } catch {
    docs = [];
  }
  if (parsedPatches.size >= 2000) parsedPatches.clear();
  parsedPatches.set(text, docs);
  return docs;
}

/** Where a patch (file or inline) sets the pointer: the field in the patch, or a JSON6902 op. */
function patchHits(
  docs: unknown[],
  q: SetterQuery,
  target: unknown,
): { docIndex: number; pointer: string }[] {
  const hits: { docIndex: number; pointer: string }[] = [];
  docs.forEach((doc, docIndex) => {
    if (Array.isArray(doc)) {
      if (!selects(target, q)) return;
      doc.forEach((op, i) => {
        const p = isRecord(op) ? str(op.path) : undefined;
        if (p !== undefined && (q.pointer === p || q.pointer.startsWith(`${p}/`)))
          hits.push({ docIndex, pointer: isRecord(op) && op.value !== undefined ? `/${i}/value` : `/${i}` });
      });
      return;
    }
    if (target !== undefined ? !selects(target, q) : !smpSelects(doc, q)) return;
    const pointer = translatePointer(q.object, doc, q.pointer);
    if (pointer !== undefined) hits.push({ docIndex, pointer });
  });
  return hits;
}

function patchSetters(node: MapNode, index: number, q: SetterQuery, reader: SourceReader): Setter[] {
  const out: Setter[] = [];
  const v = node.value;
  const fromFile = (path: string, target: unknown) => {
    const file = repoJoin(node.dir, path);
    const text = file === undefined ? undefined : reader.text(file);
    if (file === undefined || text === undefined) return;
    for (const hit of patchHits(parseDocs(text), q, target)) out.push({ node: index, file, ...hit });
  };
  const inline = (text: string, entry: string, target: unknown) => {
    if (patchHits(parseDocs(text), q, target).length > 0)
      out.push({ node: index, docIndex: 0, pointer: entry });
  };
  list(v.patchesStrategicMerge).forEach((p, i) => {
    const text = str(p);
    if (text === undefined) return;
    if (/[\n:]/.test(text.trim())) inline(text, `/patchesStrategicMerge/${i}`, undefined);
    else fromFile(text.trim(), undefined);
  });
  for (const field of ['patchesJson6902', 'patches']) {
    list(v[field]).forEach((p, i) => {
      if (!isRecord(p)) return;
      if (str(p.path)) fromFile(p.path as string, p.target);
      else if (str(p.patch)) inline(p.patch as string, `/${field}/${i}/patch`, p.target);
    });
  }
  return out;
}

const IMAGE = /\/(?:initContainers|containers|ephemeralContainers)\/\d+\/image$/;

function imageSetter(node: MapNode, index: number, q: SetterQuery): Setter | undefined {
  const rendered = str(valueAt(q.object, q.pointer)) ?? '';
  const images = list(node.value.images);
  for (let i = images.length - 1; i >= 0; i--) {
    const image = images[i];
    if (!isRecord(image)) continue;
    const name = str(image.name) ?? '';
    const newName = str(image.newName);
    const base = rendered.replace(/@.*$/, '').replace(/:[^:/]*$/, '');
    // An earlier newName may have renamed `name` already (kustomize still matches its last path segment).
    if (base !== name && base !== newName && !base.endsWith(`/${name}`)) continue;
    const field =
      image.newTag !== undefined
        ? 'newTag'
        : image.digest !== undefined
          ? 'digest'
          : newName
            ? 'newName'
            : undefined;
    return { node: index, docIndex: 0, pointer: field ? `/images/${i}/${field}` : `/images/${i}` };
  }
  return undefined;
}

/** The entries of one kustomization that set the pointer of an object, in the order kustomize applies them. */
export function settersIn(node: MapNode, index: number, q: SetterQuery, reader: SourceReader): Setter[] {
  const v = node.value;
  const out: Setter[] = [];
  const at = (pointer: string) => out.push({ node: index, docIndex: 0, pointer });
  const label = /^\/metadata\/(labels|annotations)\/(.+)$/.exec(q.pointer);
  if (label?.[1] === 'labels' && isRecord(v.commonLabels) && Object.hasOwn(v.commonLabels, label[2]!))
    at(`/commonLabels/${label[2]}`);
  if (label?.[1] === 'labels')
    list(v.labels).forEach((l, i) => {
      if (isRecord(l) && isRecord(l.pairs) && Object.hasOwn(l.pairs, label[2]!))
        at(`/labels/${i}/pairs/${label[2]}`);
    });
  if (
    label?.[1] === 'annotations' &&
    isRecord(v.commonAnnotations) &&
    Object.hasOwn(v.commonAnnotations, label[2]!)
  )
    at(`/commonAnnotations/${label[2]}`);
  out.push(...patchSetters(node, index, q, reader));
  if (q.pointer === '/metadata/namespace' && str(v.namespace)) at('/namespace');
  if (q.pointer === '/metadata/name') {
    if (str(v.namePrefix)) at('/namePrefix');
    if (str(v.nameSuffix)) at('/nameSuffix');
  }
  if (IMAGE.test(q.pointer)) {
    const image = imageSetter(node, index, q);
    if (image) out.push(image);
  }
  if (q.pointer === '/spec/replicas')
    list(v.replicas).forEach((r, i) => {
      if (isRecord(r) && (r.name === q.originalName || r.name === valueAt(q.object, '/metadata/name')))
        at(`/replicas/${i}/count`);
    });
  return out;
}
