import path from 'node:path';
import { namedEntries } from '../kustomize/kustomize-error.js';
import type { Closure } from './closure.js';
import { KUSTOMIZATION_FIELDS } from './kustomization-file.js';
import { kustomizationRefs } from './references.js';

export interface EntryLocation {
  /** Absolute path of the kustomization file. */
  file: string;
  pointer: string;
  /** The entry is a key (an unknown field), not a value. */
  key?: boolean;
}

/**
 * The kustomization entry a kustomize error is about: the entry whose value or resolved path the
 * message names last (kustomize names the outer entry first, the deepest cause last); a missing
 * resource → its `resources:` line, a missing patch file → its `path:`. For `unknown field "x"`
 * (kustomize reads kustomization files strictly), the key itself. Undefined when nothing matches.
 */
export function locateFailure(
  message: string,
  closure: Pick<Closure, 'nodes'>,
  /** Maps an absolute path in the message (the build copy) to the source tree. */
  toSource: (absolute: string) => string,
): EntryLocation | undefined {
  const named = namedEntries(message).map((n) => (path.isAbsolute(n) ? toSource(n) : n));
  const unknownFields = [...message.matchAll(/unknown field "([^"\n]+)"/g)].map((m) => m[1]!);
  let best: { location: EntryLocation; rank: number[] } | undefined;
  const consider = (location: EntryLocation, rank: number[]) => {
    if (!best || compareRank(rank, best.rank) > 0) best = { location, rank };
  };
  closure.nodes.forEach((node, order) => {
    kustomizationRefs(node.value).forEach((ref, refIndex) => {
      const resolved = path.resolve(node.dir, ref.value);
      const at = named.reduce((last, n, i) => (n === ref.value || n === resolved ? i : last), -1);
      if (at >= 0) consider({ file: node.file, pointer: ref.pointer }, [at, order, refIndex]);
    });
    for (const key of unknownFields)
      if (!KUSTOMIZATION_FIELDS.has(key) && Object.hasOwn(node.value, key))
        consider({ file: node.file, pointer: `/${key}`, key: true }, [named.length, order, 0]);
  });
  return best?.location;
}

function compareRank(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
