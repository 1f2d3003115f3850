import {
  type CelFunc,
  type CelList,
  CelScalar,
  type CelValue,
  celFunc,
  celMethod,
  listType,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

/**
 * The Kubernetes CEL libraries that CRD rules commonly use, on top of CEL's standard
 * functions and the strings extension. https://kubernetes.io/docs/reference/using-api/cel/
 * A rule that calls a function missing here fails to evaluate and is skipped, never failed.
 */
const DYN_LIST = listType(CelScalar.DYN);

function compare(a: CelValue, b: CelValue): number {
  if (typeof a === 'bigint' || typeof a === 'number' || typeof a === 'string')
    return a < (b as typeof a) ? -1 : a > (b as typeof a) ? 1 : 0;
  throw new Error('list elements are not comparable');
}

function items(list: CelList): CelValue[] {
  return [...list];
}

// https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-list-library
const lists: CelFunc[] = [
  celMethod('isSorted', DYN_LIST, [], CelScalar.BOOL, function () {
    const all = items(this);
    return all.every((v, i) => i === 0 || compare(all[i - 1]!, v) <= 0);
  }),
  celMethod('sum', DYN_LIST, [], CelScalar.DYN, function () {
    const all = items(this);
    if (all.length === 0) return 0n;
    if (typeof all[0] === 'bigint') return (all as bigint[]).reduce((a, b) => a + b, 0n);
    return (all as number[]).reduce((a, b) => a + b, 0);
  }),
  celMethod('min', DYN_LIST, [], CelScalar.DYN, function () {
    const all = items(this);
    if (all.length === 0) throw new Error('min called on empty list');
    return all.reduce((a, b) => (compare(a, b) <= 0 ? a : b)) as never;
  }),
  celMethod('max', DYN_LIST, [], CelScalar.DYN, function () {
    const all = items(this);
    if (all.length === 0) throw new Error('max called on empty list');
    return all.reduce((a, b) => (compare(a, b) >= 0 ? a : b)) as never;
  }),
];

// https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-regex-library
const regex: CelFunc[] = [
  celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (pattern) {
    return new RegExp(pattern).exec(this)?.[0] ?? '';
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING], listType(CelScalar.STRING), function (pattern) {
    return [...this.matchAll(new RegExp(pattern, 'g'))].map((m) => m[0]);
  }),
];

const key = (v: CelValue) => (typeof v === 'bigint' ? `i${v}` : JSON.stringify(v));

// https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-sets-library (cel-go ext/sets)
const sets: CelFunc[] = [
  celFunc('sets.contains', [DYN_LIST, DYN_LIST], CelScalar.BOOL, (a, b) => {
    const have = new Set(items(a).map(key));
    return items(b).every((v) => have.has(key(v)));
  }),
  celFunc('sets.equivalent', [DYN_LIST, DYN_LIST], CelScalar.BOOL, (a, b) => {
    const x = new Set(items(a).map(key));
    const y = new Set(items(b).map(key));
    return x.size === y.size && [...x].every((v) => y.has(v));
  }),
  celFunc('sets.intersects', [DYN_LIST, DYN_LIST], CelScalar.BOOL, (a, b) => {
    const have = new Set(items(a).map(key));
    return items(b).some((v) => have.has(key(v)));
  }),
];

// https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-url-library (validity only)
const urls: CelFunc[] = [
  celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (s) => {
    try {
      return new URL(s).protocol !== '' && /^[a-z][a-z0-9+.-]*:\/\//i.test(s);
    } catch {
      return false;
    }
  }),
];

export const K8S_CEL_FUNCS: CelFunc[] = [...strings, ...lists, ...regex, ...sets, ...urls];
