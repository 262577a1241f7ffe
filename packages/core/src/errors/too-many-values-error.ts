// A run met more distinct villes or modeles than its limit allows: almost always a wrong column (a file whose
// `ville` column holds ids, say), and merging that many keys would cost memory and time for nothing.
import { InputError } from './input-error.js';

/**
 * (ville, modele) pairs a run may hold, per distinct modele it may hold: what keeps memory bounded when villes and
 * modeles are both many (10 × MAX_MODELES; 2,000,000 by default).
 */
export const PAIRS_PER_MODELE = 10;

export type LimitKind = 'villes' | 'modeles' | 'pairs';

export class TooManyValuesError extends InputError {
  override name = 'TooManyValuesError';

  /** `limit`: the variable's value (MAX_VILLES, or MAX_MODELES for modeles and for pairs). */
  constructor(
    readonly kind: LimitKind,
    readonly limit: number,
  ) {
    super(message(kind, limit));
  }
}

/** What each limit checks, for the caller: the count that passed it. */
export function checkValueLimits(counts: { villes: number; modeles: number; pairs: number }, limits: { villes: number; modeles: number }): void {
  if (counts.villes > limits.villes) throw new TooManyValuesError('villes', limits.villes);
  if (counts.modeles > limits.modeles) throw new TooManyValuesError('modeles', limits.modeles);
  if (counts.pairs > PAIRS_PER_MODELE * limits.modeles) throw new TooManyValuesError('pairs', limits.modeles);
}

function message(kind: LimitKind, limit: number): string {
  switch (kind) {
    case 'villes':
      return `more than ${limit} distinct villes (MAX_VILLES=${limit}): is the ville column the right one? Raise MAX_VILLES if the file really has that many`;
    case 'modeles':
      return `more than ${limit} distinct models (MAX_MODELES=${limit}): is the modele column the right one? Raise MAX_MODELES if the file really has that many`;
    case 'pairs':
      return (
        `more than ${PAIRS_PER_MODELE * limit} distinct (ville, modele) pairs (${PAIRS_PER_MODELE} × MAX_MODELES=${limit}): ` +
        'are the ville and modele columns the right ones? Raise MAX_MODELES if the file really has that many'
      );
  }
}
