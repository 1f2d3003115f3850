import { type Document, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';

/**
 * Keys a mapping repeats (the later ones), by value as the `yaml` package's `uniqueKeys` judges
 * them (`a` and `"a"` are the same key), in one pass per mapping: that option compares every key
 * with every earlier one, which took minutes for a mapping of 100,000 keys. Walked without
 * recursion.
 */
export function duplicateKeys(doc: Document): Node[] {
  const out: Node[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isSeq(node)) for (const item of node.items) stack.push(item);
    else if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key;
        if (isScalar(key)) {
          const id = `${typeof key.value}:${String(key.value)}`;
          if (seen.has(id)) out.push(key);
          seen.add(id);
        }
        stack.push(pair.value, key);
      }
    }
  }
  return out;
}
