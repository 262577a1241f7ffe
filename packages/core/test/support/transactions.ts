// fast-check generators of transactions files that exercise every reading rule: both delimiters and date
// forms, quoted commas and line breaks, NFD accents, blanks, broken rows of every kind, empty lines, CRLF.
import fc from 'fast-check';

const villes = ['Paris', 'Lyon', 'Nîmes', 'Saint-Étienne', 'Saint-E\u0301tienne', ' Évreux ', 'paris', '__proto__'];
const modeles = ['Peugeot 208', 'Renault Clio', 'Citroën C3, Shine', 'Tesla "Model 3"', 'Zoe\nE-Tech', 'A', 'a', 'constructor'];
const goodDates = ['2023-01-14', '2023-02-28', '2024-02-29', '15/03/2023', '01/12/2022', ' 2023-06-30 '];
const badDates = ['2023-13-01', '2023-02-29', '2023-1-5', ''];
const goodPrix = ['18990.00', '349,9', '12 345,67', '0', '7', '0.05', '1\u00a0000'];
const badPrix = ['12,3,4', '-5', '1e3', '.5', ''];
const goodTypes = ['vente', 'location', 'VENTE', ' Location'];
const goodDurees = ['', '12', '600', '036'];

interface Cells {
  date: string;
  ville: string;
  type: string;
  modele: string;
  prix: string;
  duree: string;
}

const goodCells = fc.record({
  date: fc.constantFrom(...goodDates),
  ville: fc.constantFrom(...villes),
  type: fc.constantFrom(...goodTypes),
  modele: fc.constantFrom(...modeles),
  prix: fc.constantFrom(...goodPrix),
  duree: fc.constantFrom(...goodDurees),
});

const cells: fc.Arbitrary<Cells> = fc.oneof(
  { weight: 6, arbitrary: goodCells },
  { weight: 1, arbitrary: goodCells.chain((c) => fc.constantFrom(...badDates).map((date) => ({ ...c, date }))) },
  { weight: 1, arbitrary: goodCells.chain((c) => fc.constantFrom(...badPrix).map((prix) => ({ ...c, prix }))) },
  { weight: 1, arbitrary: goodCells.map((c) => ({ ...c, ville: ' ' })) },
  { weight: 1, arbitrary: goodCells.map((c) => ({ ...c, type: 'vendu' })) },
  { weight: 1, arbitrary: goodCells.map((c) => ({ ...c, modele: '' })) },
  { weight: 1, arbitrary: goodCells.map((c) => ({ ...c, duree: '0' })) },
);

type Line = { kind: 'row'; cells: Cells; id: number } | { kind: 'short'; cells: Cells } | { kind: 'empty' } | { kind: 'blanks' };

const line: fc.Arbitrary<Line> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('row' as const), cells, id: fc.nat(999) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('short' as const), cells }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'empty' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'blanks' as const }) },
);

function field(value: string, delimiter: string): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value;
}

export interface TransactionsFile {
  text: string;
  delimiter: ',' | ';';
}

/** A whole file: header in one of two orders, then 1–61 lines; the last may leave a quote open. */
export const transactionsFile: fc.Arbitrary<TransactionsFile> = fc
  .record({
    delimiter: fc.constantFrom(',' as const, ';' as const),
    reordered: fc.boolean(),
    bom: fc.boolean(),
    lineEnd: fc.constantFrom('\n', '\r\n'),
    // A first row with cells, so no file is header-only (a case of its own, tested apart).
    lines: fc.tuple(fc.record({ kind: fc.constant('row' as const), cells, id: fc.nat(999) }), fc.array(line, { maxLength: 60 })).map(([first, rest]): Line[] => [first, ...rest]),
    openQuoteAtEnd: fc.boolean(),
  })
  .map(({ delimiter, reordered, bom, lineEnd, lines, openQuoteAtEnd }) => {
    const d = delimiter;
    const header = reordered ? ['ville', 'prix', 'transaction_id', 'type', 'duree_location_mois', 'modele', 'date'] : ['transaction_id', 'date', 'ville', 'type', 'modele', 'prix', 'duree_location_mois'];
    const render = (c: Cells, id: number): string[] => {
      const byName: Record<string, string> = { transaction_id: `TX${id}`, date: c.date, ville: c.ville, type: c.type, modele: c.modele, prix: c.prix, duree_location_mois: c.duree };
      return header.map((name) => field(byName[name], d));
    };
    const body = lines.map((l, i) => {
      switch (l.kind) {
        case 'row':
          return render(l.cells, l.id).join(d);
        case 'short':
          return render(l.cells, i).slice(1).join(d);
        case 'empty':
          return '';
        case 'blanks':
          return '  ';
        default:
          throw new Error(`unknown line kind: ${(l as { kind: string }).kind}`);
      }
    });
    let text = `${bom ? '\uFEFF' : ''}${header.join(d)}${lineEnd}${body.join(lineEnd)}${lineEnd}`;
    if (openQuoteAtEnd) text += `TX0${d}"2023-01-01${lineEnd}`;
    return { text, delimiter };
  });
