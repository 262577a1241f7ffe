// A run met more distinct villes or models than its limit allows: almost always a wrong column (a file whose
// `ville` column holds ids, say), and merging that many keys would cost memory and time for nothing.
import { InputError } from './input-error.js';

/** The environment variable that sets each limit, named in the message so a user knows what to change. */
const VARIABLE = { villes: 'MAX_VILLES', modeles: 'MAX_MODELES' } as const;

export class TooManyValuesError extends InputError {
  override name = 'TooManyValuesError';

  constructor(
    readonly kind: 'villes' | 'modeles',
    readonly limit: number,
  ) {
    super(
      kind === 'villes'
        ? `more than ${limit} distinct villes (MAX_VILLES=${limit}): is the ville column the right one? Raise ${VARIABLE[kind]} if the file really has that many`
        : `more than ${limit} distinct models (MAX_MODELES=${limit}, counted per ville): is the modele column the right one? Raise ${VARIABLE[kind]} if the file really has that many`,
    );
  }
}
