// Code-point order of two strings (the contract's tie-break for modeles). JavaScript's `<` compares UTF-16
// code units, which puts U+10000 and above (surrogates, D800–DFFF) before U+E000–U+FFFF.

export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates above U+E000–U+FFFF, so the first differing code unit orders as its code point does. */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}
