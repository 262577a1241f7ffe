// The map step: one byte range of a file → PartialMetrics, the way Hadoop's input splits are read. A record
// belongs to the range where it starts; the range's last record is read to its end past the range. Where the
// range's first record starts is either known (the first range, or a range the reduce maps again from a start
// it established) or taken to be after the first line end at or after the range's start: a guess that a
// quoted line break can make wrong, which the reduce checks against the previous range's end (see
// docs/architecture.md, "Exact whatever the cut").
import { isAscii } from 'node:buffer';
import { COMMA, LF, SEMICOLON } from './csv/ascii.js';
import { MAX_RECORD_BYTES, RecordScanner } from './csv/record-scanner.js';
import { Utf8Checker } from './csv/utf8-checker.js';
import { NotUtf8Error } from './errors/not-utf8-error.js';
import { checkValueLimits } from './errors/too-many-values-error.js';
import { RowTally } from './metrics/row-tally.js';
import type { HeaderLayout, PartialMetrics, SourceEncoding, TextKind } from './types.js';

export interface RangeTask {
  layout: HeaderLayout;
  /**
   * How the range's text is read: `utf-8` (the file is UTF-8 as far as is known: push throws NotUtf8Error at
   * the first byte that says otherwise) or `windows-1252`.
   */
  encoding: SourceEncoding;
  /** The range `[start, end)` of the file (offsets in bytes). */
  start: number;
  end: number;
  /** Whether a record is known to start at `start`; if not, the range's first record is the one after the first line end at or after `start - 1`. */
  startsAtRecord: boolean;
  /** Record cap (MAX_RECORD_BYTES by default). */
  maxRecordBytes?: number;
  /**
   * The run's MAX_VILLES and MAX_MODELES: more distinct villes, more distinct modeles, or more than 10 × MAX_MODELES
   * (ville, modele) pairs in the range is TooManyValuesError (the reduce checks the whole run the same way).
   */
  limits?: { villes: number; modeles: number };
}

export interface RangeOutcome {
  /** Where the first record it read starts; `end` (or more) when no record starts in the range. */
  start: number;
  /** Where the record after its last one starts (at or after `end`), or the end of the file. */
  nextStart: number;
  /** Line ends read in `[start, nextStart)`; the line at `nextStart` is `lines` lines after the one at `start`. */
  lines: number;
  /**
   * What the bytes of `[start, nextStart)` are (see TextKind), whichever encoding read them: `ascii` reads the
   * same in either, `windows-1252` means they are not UTF-8 (so neither is the file).
   */
  text: TextKind;
  /** How it was read. */
  encoding: SourceEncoding;
  rowsValid: number;
  rowsRejected: number;
  rejectedByReason: PartialMetrics['rejectedByReason'];
  /** Sample line numbers count from 1 at `start`. */
  samples: PartialMetrics['samples'];
  /** Distinct villes. */
  villes: number;
  /** Each ville's partial metrics in their stored form (see serialiseVille), made one at a time. */
  storedVilles(): Iterable<[string, string]>;
  /** Its rows' metrics as one object (every ville's objects built, the first time it is read). */
  readonly partial: PartialMetrics;
}

const SEEK = 0;
const MAIN = 1;
const TAIL = 2;
const DONE = 3;

/**
 * Reads one range from bytes pushed in file order from `readFrom` on, and stops wanting them (`done`) once
 * its last record has ended; `end()` says the file ended first. No I/O: the worker reads, this counts.
 */
export class RangeMapper {
  /** Where the bytes pushed must begin. */
  readonly readFrom: number;
  private phase: number;
  /** Offset of the next byte expected. */
  private position: number;
  private recordStart: number;
  private nextStart = -1;
  private readonly tally: RowTally;
  private readonly scanner: RecordScanner;
  private readonly utf8 = new Utf8Checker();
  private ascii = true;
  private validUtf8 = true;

  constructor(private readonly task: RangeTask) {
    const known = task.startsAtRecord || task.start === 0;
    this.readFrom = known ? task.start : task.start - 1;
    this.position = this.readFrom;
    this.recordStart = known ? task.start : -1;
    this.phase = known ? MAIN : SEEK;
    const maxRecordBytes = task.maxRecordBytes ?? MAX_RECORD_BYTES;
    this.tally = new RowTally(task.layout, task.encoding, maxRecordBytes);
    const delimiter = task.layout.delimiter === ';' ? SEMICOLON : COMMA;
    // Quote-free records arrive unsplit: RowTally.countBytes reads most of them in one walk.
    this.scanner = new RecordScanner(
      (record) => {
        if (record.unsplit) this.tally.countBytes(record.buf, record.start, record.end, record.line);
        else this.tally.count(record);
      },
      { delimiter, splitFields: false, maxRecordBytes },
    );
    if (this.phase === MAIN && this.recordStart >= task.end) this.finish(this.recordStart);
  }

  /** True once the range's last record has ended: no more bytes are needed. */
  get done(): boolean {
    return this.phase === DONE;
  }

  /** Feeds the next bytes of the file (the first push starts at `readFrom`). */
  push(bytes: Uint8Array): void {
    let from = 0;
    const n = bytes.length;
    if (this.phase === SEEK) {
      const lf = bytes.indexOf(LF);
      if (lf < 0) {
        this.position += n;
        if (this.position >= this.task.end) this.finish(this.task.end, true);
        return;
      }
      this.position += lf + 1;
      from = lf + 1;
      this.recordStart = this.position;
      if (this.recordStart >= this.task.end) {
        this.finish(this.recordStart, true);
        return;
      }
      this.phase = MAIN;
    }
    if (this.phase === MAIN) {
      const take = Math.min(this.task.end - this.position, n - from);
      if (take > 0) {
        const piece = bytes.subarray(from, from + take);
        this.check(piece);
        this.scanner.push(piece);
        this.position += take;
        from += take;
        this.checkLimits();
      }
      if (this.position < this.task.end) return;
      if (!this.scanner.hasUnfinishedRecord) {
        this.finish(this.position);
        return;
      }
      this.phase = TAIL;
    }
    if (this.phase === TAIL && from < n) {
      const rest = bytes.subarray(from);
      const consumed = this.scanner.pushTail(rest);
      if (consumed < 0) {
        this.check(rest);
        this.position += rest.length;
        return;
      }
      this.check(rest.subarray(0, consumed));
      this.position += consumed;
      this.checkLimits();
      this.finish(this.position);
    }
  }

  /** The file ended (at the snapshot's size) before the range's last record did. */
  end(): void {
    if (this.phase === DONE) return;
    if (this.phase === SEEK) {
      this.finish(Math.max(this.position, this.task.end), true);
      return;
    }
    this.scanner.end();
    this.checkLimits();
    this.finish(this.position);
  }

  outcome(): RangeOutcome {
    if (this.phase !== DONE) throw new Error('the range has not been read to its end');
    const empty = this.recordStart >= this.task.end;
    const tally = this.tally;
    let partial: PartialMetrics | null = null;
    return {
      start: empty ? this.nextStart : this.recordStart,
      nextStart: this.nextStart,
      lines: empty ? 0 : this.scanner.nextLine - 1,
      text: this.ascii ? 'ascii' : this.validUtf8 ? 'utf-8' : 'windows-1252',
      encoding: this.task.encoding,
      ...tally.counts(),
      villes: tally.villeCount,
      storedVilles: () => tally.storedVilles(),
      get partial() {
        return (partial ??= tally.toPartial());
      },
    };
  }

  private finish(nextStart: number, empty = false): void {
    if (empty) this.recordStart = nextStart;
    if (this.validUtf8 && !this.utf8.end()) this.notUtf8();
    this.nextStart = nextStart;
    this.phase = DONE;
  }

  private check(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    // While every byte so far is ASCII the checker has nothing pending: an ASCII piece needs no check.
    if (this.ascii && isAscii(bytes)) return;
    this.ascii = false;
    if (this.validUtf8 && !this.utf8.push(bytes)) this.notUtf8();
  }

  /** Read as UTF-8, the range cannot go on: the file is Windows-1252. Read as that, it is only noted. */
  private notUtf8(): void {
    this.validUtf8 = false;
    if (this.task.encoding === 'utf-8') throw new NotUtf8Error();
  }

  private checkLimits(): void {
    const limits = this.task.limits;
    if (!limits) return;
    checkValueLimits({ villes: this.tally.villeCount, modeles: this.tally.modeleCount, pairs: this.tally.pairCount }, limits);
  }
}
