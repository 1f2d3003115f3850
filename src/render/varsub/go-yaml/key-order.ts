// go-yaml v2 `sorter.go` keyList.Less for string keys: go-yaml writes map keys in this order (JSONToYAML
// decodes into a Go map, so the object's own key order is lost). Letters sort before other runes, and
// runs of digits compare by numeric value ("a2" < "a10"), which is why it is not plain string order.
// The order is not transitive for some keys mixing digits, letters and leading zeros ("a1b", "a01",
// "a10"); Go then sorts a randomly ordered map key list, so its output varies between runs, and this
// order is one of the possible ones. Key order only decides which undefined variable is reported first
// and which key wins when substitution makes two keys equal.
import { isGoDigit, isGoLetter } from '../utf8.js';

const ZERO = 0x30;

/** Go wraps int64 arithmetic; long digit runs overflow the same way here. */
function digitRunValue(runes: readonly number[], from: number, seed: bigint): { value: bigint; end: number } {
  let value = seed;
  let end = from;
  for (; end < runes.length && isGoDigit(runes[end]!); end++) {
    value = BigInt.asIntN(64, value * 10n + BigInt(runes[end]! - ZERO));
  }
  return { value, end };
}

export function goKeyLess(a: string, b: string): boolean {
  const ar = [...a].map((c) => c.codePointAt(0)!);
  const br = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ai = ar[i]!;
    const bi = br[i]!;
    if (ai === bi) continue;
    const al = isGoLetter(ai);
    const bl = isGoLetter(bi);
    if (al && bl) return ai < bi;
    if (al || bl) return bl;
    let seed = 0n;
    if (ai === ZERO || bi === ZERO) {
      for (let j = i - 1; j >= 0 && isGoDigit(ar[j]!); j--) {
        if (ar[j] !== ZERO) {
          seed = 1n;
          break;
        }
      }
    }
    const an = digitRunValue(ar, i, seed);
    const bn = digitRunValue(br, i, seed);
    if (an.value !== bn.value) return an.value < bn.value;
    if (an.end !== bn.end) return an.end < bn.end;
    return ai < bi;
  }
  return ar.length < br.length;
}

export function sortKeysLikeGoYaml(keys: readonly string[]): string[] {
  return [...keys].sort((a, b) => (goKeyLess(a, b) ? -1 : goKeyLess(b, a) ? 1 : 0));
}
