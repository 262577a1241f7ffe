// Ville filters of the API: the exact name first, then one that differs only by case or accents
// (`saint-etienne` finds `Saint-Étienne`). Hyphens, spaces and other punctuation must still match; blanks around
// the query are ignored, as they are around every field of the data (a ville never starts or ends with one).

/** The ville of `villes` that `query` designates, or undefined. Among several loose matches, the first in `villes`. */
export function matchVille(villes: readonly string[], query: string): string | undefined {
  const wanted = query.trim().normalize('NFC');
  if (villes.includes(wanted)) return wanted;
  const folded = foldCaseAndAccents(wanted);
  return villes.find((ville) => foldCaseAndAccents(ville) === folded);
}

function foldCaseAndAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
