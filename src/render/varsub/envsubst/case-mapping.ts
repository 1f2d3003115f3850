// Go's unicode.ToUpper/ToLower map one rune to one rune (Unicode simple case mapping), while
// String.prototype.toUpperCase applies the full mapping ('ß' -> 'SS'). Keeping the rune when the full
// mapping changes its length matches Go for all but a handful of characters with both a special and a
// simple mapping (e.g. U+1FB3); U+0130 is the one such lower-casing case and is handled explicitly.

export function toUpperRune(rune: number): number {
  const mapped = [...String.fromCodePoint(rune).toUpperCase()];
  return mapped.length === 1 ? mapped[0]!.codePointAt(0)! : rune;
}

export function toLowerRune(rune: number): number {
  if (rune === 0x130) return 0x69;
  const mapped = [...String.fromCodePoint(rune).toLowerCase()];
  return mapped.length === 1 ? mapped[0]!.codePointAt(0)! : rune;
}
