// The reduce's check that the ranges were read exactly, and what to read again if not. Pure: the aggregator
// runs it over what the workers stored, the tests over what they mapped in process.
//
// A range whose first record start was guessed (after the first line end at or after its start) guessed
// right exactly when the guess equals where the previous range's last record ended: from the same record start
// the same bytes give the same records. Walking the ranges in file order from the header's end settles every
// start; a range that guessed wrong (a line break inside quotes) is read again from the settled start. The file
// is UTF-8 unless its header or some range's records are not, and a range read in the other encoding than the
// file's is read again unless its bytes are ASCII.
import type { SourceEncoding, TextKind } from './types.js';

export interface PlannedRange {
  /** The range's number (its index in the plan). */
  index: number;
  start: number;
  end: number;
}

/** What the reduce needs of a range's stored outcome (see RangeOutcome). */
export interface RangeReport {
  start: number;
  nextStart: number;
  lines: number;
  text: TextKind;
  encoding: SourceEncoding;
}

/** A range to read again, from a start the walk settled (or, after an earlier misread, expects). */
export interface RemapRequest {
  index: number;
  start: number;
  encoding: SourceEncoding;
}

/** A range whose outcome goes into the results: its sample lines are moved by `lineOffset`. */
export interface AcceptedRange {
  index: number;
  lineOffset: number;
}

export type ChainVerdict =
  | { kind: 'remap'; remaps: RemapRequest[] }
  | { kind: 'complete'; encoding: SourceEncoding; accepted: AcceptedRange[] };

export interface ChainInput {
  /** Every range of the plan, in file order, from `dataStart` to the file's end without gaps. */
  ranges: readonly PlannedRange[];
  dataStart: number;
  /** Line ends before `dataStart`. */
  linesBefore: number;
  headerText: TextKind;
  /**
   * Whether the header gives the same layout in both encodings (always so for an ASCII header). When not, a
   * range read in the other encoding is read again even if its bytes are ASCII: its columns were elsewhere.
   */
  sameLayout: boolean;
  /** Each range's outcome by its index; undefined where none is stored. */
  reports: ReadonlyArray<RangeReport | undefined>;
}

export function checkRangeChain(input: ChainInput): ChainVerdict {
  const { ranges, reports } = input;
  const accepted: Array<AcceptedRange & { report: RangeReport }> = [];
  const remaps: RemapRequest[] = [];
  let expected = input.dataStart;
  let lineOffset = input.linesBefore;
  // Once a range must be read again, the starts after it are what its last outcome says, not settled yet.
  let settled = true;
  let windows1252 = input.headerText === 'windows-1252';
  for (const range of ranges) {
    if (expected >= range.end) continue; // the previous range's last record covers this one
    const report = reports[range.index];
    if (report !== undefined && report.start === expected) {
      if (settled) {
        accepted.push({ index: range.index, lineOffset, report });
        lineOffset += report.lines;
        if (report.text === 'windows-1252') windows1252 = true;
      }
      expected = report.nextStart;
      continue;
    }
    remaps.push({ index: range.index, start: expected, encoding: 'utf-8' });
    settled = false;
    if (report === undefined) break;
    expected = report.nextStart;
  }
  const fileEncoding: SourceEncoding = windows1252 ? 'windows-1252' : 'utf-8';
  if (remaps.length > 0) return { kind: 'remap', remaps: remaps.map((remap) => ({ ...remap, encoding: fileEncoding })) };
  for (const { index, report } of accepted) {
    if (report.encoding !== fileEncoding && (report.text !== 'ascii' || !input.sameLayout)) remaps.push({ index, start: report.start, encoding: fileEncoding });
  }
  if (remaps.length > 0) return { kind: 'remap', remaps };
  return { kind: 'complete', encoding: fileEncoding, accepted: accepted.map(({ index, lineOffset: offset }) => ({ index, lineOffset: offset })) };
}

/** `[dataStart, size)` cut into ranges of `rangeBytes` (the last one shorter). */
export function planRanges(dataStart: number, size: number, rangeBytes: number): PlannedRange[] {
  const ranges: PlannedRange[] = [];
  for (let start = dataStart, index = 0; start < size; start += rangeBytes, index++) {
    ranges.push({ index, start, end: Math.min(size, start + rangeBytes) });
  }
  return ranges;
}
