// Streams a generated transactions CSV: header, then `rows` rows, never the whole file in memory.
// Two engines produce the same bytes: fast-csv's formatter stream (one object per row, slow on millions of
// rows), and a bulk path that assembles lines itself, in 64 KiB chunks pulled by the consumer; its quoting
// still comes from fast-csv, asked once for each distinct text value a row can hold.
import { PassThrough, Readable, pipeline } from 'node:stream';
import { format, writeToString } from 'fast-csv';
import { resolveOptions, type GeneratorOptions, type ResolvedOptions } from './generator-options.js';
import { HEADER, TransactionRows } from './transaction-rows.js';
import { encodeWindows1252, windows1252Encoder } from './windows-1252.js';

const CHUNK_CHARS = 64 * 1024;

export function generateTransactions(options: GeneratorOptions): Readable {
  const resolved = resolveOptions(options);
  return resolved.engine === 'fast-csv' ? fastCsvStream(resolved) : Readable.from(bulkChunks(resolved), { objectMode: false });
}

function lineEnd(options: ResolvedOptions): string {
  return options.crlf ? '\r\n' : '\n';
}

function fastCsvStream(options: ResolvedOptions): Readable {
  const rows = new TransactionRows(options);
  function* allRows(): Generator<string[]> {
    yield [...HEADER];
    for (let row = rows.next(); row !== null; row = rows.next()) yield row;
  }
  const formatter = format<string[], string[]>({
    delimiter: options.delimiter,
    rowDelimiter: lineEnd(options),
    includeEndRowDelimiter: true,
    writeBOM: options.bom,
  });
  const output = new PassThrough();
  const onEnd = (error: NodeJS.ErrnoException | null): void => {
    if (error) output.destroy(error);
  };
  if (options.encoding === 'windows-1252') {
    pipeline(Readable.from(allRows()), formatter, windows1252Encoder(), output, onEnd);
  } else {
    pipeline(Readable.from(allRows()), formatter, output, onEnd);
  }
  return output;
}

async function* bulkChunks(options: ResolvedOptions): AsyncGenerator<Buffer> {
  const eol = lineEnd(options);
  const { delimiter } = options;
  const quoted = await quotedByFastCsv(TransactionRows.vocabulary(), options);
  // What makes fast-csv quote a field; a generated number, date or id never holds one of these.
  const needsQuotes = new RegExp(`["${delimiter}\r\n|]`);
  const formatField = (value: string): string => {
    const known = quoted.get(value);
    if (known !== undefined) return known;
    if (needsQuotes.test(value)) throw new Error(`no quoting known for generated value ${JSON.stringify(value)}`);
    return value;
  };
  const encode = (text: string): Buffer =>
    options.encoding === 'windows-1252' ? encodeWindows1252(text) : Buffer.from(text, 'utf8');

  let text = (options.bom ? '\ufeff' : '') + HEADER.map(formatField).join(delimiter) + eol;
  const rows = new TransactionRows(options);
  for (let row = rows.next(); row !== null; row = rows.next()) {
    let line = formatField(row[0]);
    for (let i = 1; i < row.length; i++) line += delimiter + formatField(row[i]);
    text += line + eol;
    if (text.length >= CHUNK_CHARS) {
      yield encode(text);
      text = '';
    }
  }
  if (text.length > 0) yield encode(text);
}

/** Each value as fast-csv's formatter writes it as a field with these options. */
async function quotedByFastCsv(values: string[], options: ResolvedOptions): Promise<Map<string, string>> {
  const distinct = [...new Set(values)];
  const formatted = await Promise.all(
    distinct.map((value) => writeToString([[value]], { delimiter: options.delimiter, rowDelimiter: lineEnd(options) })),
  );
  return new Map(distinct.map((value, i) => [value, formatted[i]]));
}
