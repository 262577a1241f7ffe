// More than the allowed share of the data rows broke a rule: the run fails rather than publish thin metrics.
import { InputError } from './input-error.js';

export class TooManyRejectsError extends InputError {
  override name = 'TooManyRejectsError';

  constructor(
    readonly rowsRejected: number,
    readonly rowsTotal: number,
    readonly maxRejectRatio: number,
  ) {
    super(`${rowsRejected} of ${rowsTotal} data rows rejected, more than the allowed ratio ${maxRejectRatio}`);
  }
}
