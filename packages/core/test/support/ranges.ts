// Test helpers: a file read the way the pipeline reads it, in process — the header read alone, the data cut into
// byte ranges, each range mapped (in any order, its bytes pushed in pieces of any size), the chain checked and
// the misread ranges mapped again until it holds, then merged and finalised.
import { isUtf8 } from 'node:buffer';
import {
  checkRangeChain,
  checkRejectRatio,
  finalise,
  InputError,
  MetricsMerger,
  NoDataRowsError,
  NotUtf8Error,
  planRanges,
  RangeMapper,
  readFileHeader,
  type HeaderLayout,
  type PartialMetrics,
  type RangeOutcome,
  type Results,
  type SourceEncoding,
} from '../../src/index.js';

export interface RangeRunOptions {
  rangeBytes: number;
  /** Bytes per push (default: the whole rest in one push). */
  pieceBytes?: number;
  /** Pseudo-random keys giving the order ranges are mapped in. */
  order?: readonly number[];
  maxRecordBytes?: number;
  maxRejectRatio?: number;
  /** Every range is mapped twice (a job delivered again): the second outcome replaces the first. */
  twice?: boolean;
}

export type RangeRun =
  | { partial: PartialMetrics; results: Results; encoding: SourceEncoding; rounds: number; remaps: number }
  | { error: string; name: string };

/** Maps `[start, end)` of `bytes` from `start` (known record start or not) in `encoding`, as a worker does. */
export function mapRange(
  bytes: Buffer,
  layouts: Record<SourceEncoding, HeaderLayout | Error>,
  range: { start: number; end: number; startsAtRecord: boolean },
  encoding: SourceEncoding,
  options: { pieceBytes?: number; maxRecordBytes?: number } = {},
): RangeOutcome {
  const read = (as: SourceEncoding): RangeOutcome => {
    const layout = layouts[as];
    if (layout instanceof Error) throw layout;
    const mapper = new RangeMapper({ layout, encoding: as, ...range, maxRecordBytes: options.maxRecordBytes });
    const piece = options.pieceBytes ?? bytes.length;
    for (let at = mapper.readFrom; !mapper.done && at < bytes.length; at += piece) mapper.push(bytes.subarray(at, Math.min(bytes.length, at + piece)));
    mapper.end();
    return mapper.outcome();
  };
  try {
    return read(encoding);
  } catch (err) {
    if (err instanceof NotUtf8Error) return read('windows-1252');
    throw err;
  }
}

export function runInRanges(bytes: Buffer, options: RangeRunOptions): RangeRun {
  try {
    const header = readFileHeader(bytes, true)!;
    const layouts = {} as Record<SourceEncoding, HeaderLayout | Error>;
    for (const encoding of ['utf-8', 'windows-1252'] as const) {
      const outcome = header.layouts[encoding];
      layouts[encoding] = 'layout' in outcome ? outcome.layout : new InputError(outcome.error);
    }
    let first: SourceEncoding = header.text === 'windows-1252' ? 'windows-1252' : 'utf-8';
    // As the orchestrator does: a header that reads whole only as Windows-1252 is settled by the whole file's bytes.
    if (first === 'utf-8' && layouts[first] instanceof Error && !isUtf8(bytes)) first = 'windows-1252';
    if (layouts[first] instanceof Error) throw layouts[first];
    const sameLayout = JSON.stringify(layouts['utf-8']) === JSON.stringify(layouts['windows-1252']);
    const ranges = planRanges(header.dataStart, bytes.length, options.rangeBytes);
    if (ranges.length === 0) throw new NoDataRowsError();
    const outcomes: RangeOutcome[] = [];
    const order = ranges
      .map((range, i) => ({ range, key: options.order?.[i % Math.max(1, options.order.length)] ?? 0 }))
      .sort((a, b) => a.key - b.key || a.range.index - b.range.index);
    const map = (index: number, start: number, startsAtRecord: boolean, encoding: SourceEncoding) => {
      const range = { start, end: ranges[index].end, startsAtRecord };
      outcomes[index] = mapRange(bytes, layouts, range, encoding, options);
      if (options.twice) outcomes[index] = mapRange(bytes, layouts, range, encoding, options);
    };
    for (const { range } of order) map(range.index, range.start, range.index === 0, first);
    let rounds = 1;
    let remaps = 0;
    for (;;) {
      const verdict = checkRangeChain({ ranges, dataStart: header.dataStart, linesBefore: header.linesBefore, headerText: header.text, sameLayout, reports: outcomes });
      if (verdict.kind === 'complete') {
        const merger = new MetricsMerger();
        for (const { index, lineOffset } of verdict.accepted) merger.addPartial(outcomes[index].partial, lineOffset);
        const partial = merger.toPartial();
        checkRejectRatio(partial, options.maxRejectRatio ?? 1);
        return { partial, results: finalise(partial), encoding: verdict.encoding, rounds, remaps };
      }
      rounds++;
      if (rounds > ranges.length + 3) throw new Error('the chain did not settle');
      for (const remap of verdict.remaps) {
        remaps++;
        map(remap.index, remap.start, true, remap.encoding);
      }
    }
  } catch (err) {
    if (err instanceof InputError) return { error: err.message, name: err.name };
    throw err;
  }
}
