// Valid rows written the way hand-kept files and exports often write them: odd casing of the type, blanks
// around fields, decomposed accents, grouped thousands, the other date format. The contract accepts every
// one of these, so a messy row must count exactly as its clean twin does.
import type { Random } from './random.js';

export type MessyFieldSet = 'utf-8' | 'windows-1252';

const TYPE_SPELLINGS: Record<string, readonly string[]> = {
  vente: ['Vente', 'VENTE', ' vente '],
  location: ['Location', 'LOCATION', '\tlocation'],
};

/** The padded forms a text field can take. */
export function paddedForms(text: string): string[] {
  return [` ${text} `, `  ${text}`, `${text}\t`];
}

/** Every messy form of the given texts (for the quoting table): padded, decomposed, other type spellings. */
export function messyVocabulary(texts: readonly string[]): string[] {
  return [
    ...texts.flatMap((text) => [...paddedForms(text), text.normalize('NFD')]),
    ...Object.values(TYPE_SPELLINGS).flat(),
  ];
}

/** Thousands grouped by `separator`: `18990.00` → `18 990.00`. */
export function groupThousands(prix: string, separator: string): string {
  const match = /^([0-9]+)(.*)$/.exec(prix);
  if (!match) return prix;
  return match[1].replace(/\B(?=(?:[0-9]{3})+$)/g, separator) + match[2];
}

/**
 * Rewrites one field of a valid row (`fields` in header order) in another accepted form. `otherDate` is the
 * row's date in the other format. Windows-1252 has no combining accents nor U+202F, so those stay out.
 */
export function roughenUp(fields: string[], otherDate: string, encoding: MessyFieldSet, random: Random): void {
  const pick = <T>(values: readonly T[]): T => values[random.int(values.length)];
  switch (random.int(6)) {
    case 0:
      fields[3] = pick(TYPE_SPELLINGS[fields[3]]);
      break;
    case 1:
      fields[2] = encoding === 'utf-8' && random.next() < 0.5 ? fields[2].normalize('NFD') : pick(paddedForms(fields[2]));
      break;
    case 2:
      fields[4] = encoding === 'utf-8' && random.next() < 0.3 ? fields[4].normalize('NFD') : pick(paddedForms(fields[4]));
      break;
    case 3:
      fields[5] = groupThousands(fields[5], pick(encoding === 'utf-8' ? [' ', '\u00a0', '\u202f'] : [' ', '\u00a0']));
      break;
    case 4:
      fields[1] = otherDate;
      break;
    case 5:
      if (fields[6] !== '') fields[6] = ` ${fields[6]} `;
      else fields[0] = ` ${fields[0]}`;
      break;
  }
}
