// Finds where a record that contains quotes ends: the first LF outside quotes. Resumable, so a record cut
// between two buffers is scanned once, whatever its length. Same quoting rules as ScannedRecord.split.
import { LF, QUOTE } from './ascii.js';

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** Just read a `"` inside quotes: an escaped quote if another `"` follows, else the closing quote. */
const QUOTE_IN_QUOTED = 3;

export class RecordEndFinder {
  private state = FIELD_START;
  /** LFs inside quotes so far: the record spans that many extra physical lines. */
  embeddedLineBreaks = 0;

  constructor(public delimiter: number) {}

  /** Whether the bytes scanned so far end inside a quoted field (a `"` just read there may still close it). */
  get insideQuotes(): boolean {
    return this.state === QUOTED;
  }

  /** Starts a new record. */
  reset(): void {
    this.state = FIELD_START;
    this.embeddedLineBreaks = 0;
  }

  /** Continues over `buf[from, to)`; returns the index of the record's terminating LF, or -1 if not there yet. */
  scan(buf: Uint8Array, from: number, to: number): number {
    const delimiter = this.delimiter;
    let state = this.state;
    let lineBreaks = this.embeddedLineBreaks;
    for (let i = from; i < to; i++) {
      const b = buf[i];
      if (state === QUOTED) {
        if (b === QUOTE) state = QUOTE_IN_QUOTED;
        else if (b === LF) lineBreaks++;
        continue;
      }
      if (state === QUOTE_IN_QUOTED && b === QUOTE) {
        state = QUOTED;
        continue;
      }
      if (b === LF) {
        this.state = state;
        this.embeddedLineBreaks = lineBreaks;
        return i;
      }
      if (b === delimiter) state = FIELD_START;
      else if (b === QUOTE && state === FIELD_START) state = QUOTED;
      else state = UNQUOTED;
    }
    this.state = state;
    this.embeddedLineBreaks = lineBreaks;
    return -1;
  }
}
