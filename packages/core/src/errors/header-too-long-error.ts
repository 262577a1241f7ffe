// No line end within the first bytes of the file: not a CSV with LF or CRLF line ends (old Mac CR-only
// files included), and reading on would hold the whole file in memory.
import { InputError } from './input-error.js';

export class HeaderTooLongError extends InputError {
  override name = 'HeaderTooLongError';

  constructor(readonly limitBytes: number) {
    super(`no line end in the first ${limitBytes} bytes of the file: the header line is too long (line ends must be LF or CRLF)`);
  }
}
