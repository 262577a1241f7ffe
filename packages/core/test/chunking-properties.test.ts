// Results do not depend on how rows are cut into chunks, on chunk order, on merge order or on buffer cuts.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ChunkWriter, readChunkRecords } from '../src/chunks/chunk-format.js';
import iconv from 'iconv-lite';
import { ChunkFormatError, CityChunker, type CityChunk, emptyPartial, finalise, mapCityChunk, mergePartials, RecordScanner, UNROUTED_CITY_KEY, type HeaderLayout, type PartialMetrics } from '../src/index.js';
import { isReferenceFailure, referenceCompute } from './support/reference.js';
import { aggregate, HEADER, pieces } from './support/scan.js';
import { transactionsFile } from './support/transactions.js';

interface RawRecord {
  line: number;
  bytes: Buffer;
}

/** The header's layout (through the aggregator) and every data record's raw bytes. */
function rawRecords(text: string): { layout: HeaderLayout; records: RawRecord[] } {
  const records: RawRecord[] = [];
  const scanner = new RecordScanner((record) => {
    records.push({ line: record.line, bytes: Buffer.from(record.buf.subarray(record.start, record.end)) });
  });
  scanner.push(Buffer.from(text));
  scanner.end();
  const layout = aggregateLayout(text);
  return { layout, records: records.slice(1) };
}

function aggregateLayout(text: string): HeaderLayout {
  const chunker = new CityChunker({ chunkRows: 1, encoding: 'utf-8' });
  chunker.push(Buffer.from(text));
  return chunker.layout!;
}

/** Merges in a tree shape given by `shape` (a pseudo-random split point per level). */
function mergeTree(partials: PartialMetrics[], shape: number[], depth = 0): PartialMetrics {
  if (partials.length === 0) return emptyPartial();
  if (partials.length === 1) return partials[0];
  const cut = 1 + ((shape[depth % Math.max(shape.length, 1)] ?? 0) % (partials.length - 1));
  return mergePartials(mergeTree(partials.slice(0, cut), shape, depth + 1), mergeTree(partials.slice(cut), shape, depth + 1));
}

function shuffle<T>(items: T[], keys: number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % Math.max(keys.length, 1)] ?? 0, i }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map(({ item }) => item);
}

describe('merge', () => {
  it('is associative and commutative, with a canonical key order', () => {
    fc.assert(
      fc.property(transactionsFile, transactionsFile, transactionsFile, (a, b, c) => {
        const [pa, pb, pc] = [a, b, c].map((f) => aggregate(f.text));
        const left = mergePartials(mergePartials(pa, pb), pc);
        const right = mergePartials(pa, mergePartials(pb, pc));
        expect(JSON.stringify(left)).toBe(JSON.stringify(right));
        expect(JSON.stringify(mergePartials(pa, pb))).toBe(JSON.stringify(mergePartials(pb, pa)));
        expect(JSON.stringify(mergePartials(pa, emptyPartial()))).toBe(JSON.stringify(pa));
      }),
      { numRuns: 60 },
    );
  });

  it('reads partials parsed by plain JSON.parse (with prototypes) alike', () => {
    const a = aggregate('date,ville,type,modele,prix\n2023-01-01,constructor,vente,toString,1\n2023-01-01,Paris,vente,__proto__,2\n');
    const b = aggregate('date,ville,type,modele,prix\n2023-01-01,Paris,vente,constructor,3\n2023-01-01,hasOwnProperty,vente,valueOf,4\n');
    const plain = (p: PartialMetrics): PartialMetrics => JSON.parse(JSON.stringify(p)) as PartialMetrics;
    const expected = JSON.stringify(mergePartials(a, b));
    expect(JSON.stringify(mergePartials(plain(a), plain(b)))).toBe(expected);
    expect(JSON.stringify(mergePartials(plain(b), plain(a)))).toBe(expected);
    expect(finalise(mergePartials(plain(a), plain(b))).top_modeles.Paris.map((m) => m.modele)).toEqual(['__proto__', 'constructor']);
  });

  it('does not modify its inputs', () => {
    const a = aggregate('date,ville,type,modele,prix\n2023-01-01,Paris,vente,A,1\n');
    const b = aggregate('date,ville,type,modele,prix\n2023-01-01,Paris,vente,A,2\nbad\n');
    const before = JSON.stringify([a, b]);
    mergePartials(a, b);
    expect(JSON.stringify([a, b])).toBe(before);
  });
});

describe('any split into chunks', () => {
  it('gives the same partial metrics and results for any grouping of rows into chunks and any merge order', () => {
    fc.assert(
      fc.property(transactionsFile, fc.array(fc.nat(7), { maxLength: 80 }), fc.array(fc.nat(1000), { maxLength: 20 }), (file, groupOf, order) => {
        const whole = aggregate(file.text);
        const { layout, records } = rawRecords(file.text);
        const writers = new Map<number, ChunkWriter>();
        records.forEach((record, i) => {
          const group = groupOf[i % Math.max(groupOf.length, 1)] ?? 0;
          if (!writers.has(group)) writers.set(group, new ChunkWriter(16));
          writers.get(group)!.append(record.bytes, 0, record.bytes.length, record.line);
        });
        const partials = [...writers.values()].map((w) => mapCityChunk(w.finish(), { layout, encoding: 'utf-8' }));
        const merged = mergeTree(shuffle(partials, order), order);
        expect(JSON.stringify(merged)).toBe(JSON.stringify(whole));
        expect(JSON.stringify(finalise(merged))).toBe(JSON.stringify(finalise(whole)));
      }),
      { numRuns: 150 },
    );
  });
});

describe('CityChunker → mapCityChunk → merge → finalise', () => {
  it('equals CsvAggregator → finalise for any chunkRows, buffer bound and push() cuts', () => {
    fc.assert(
      fc.property(
        transactionsFile,
        fc.integer({ min: 1, max: 12 }),
        fc.option(fc.integer({ min: 1, max: 600 })),
        fc.array(fc.nat(3000), { maxLength: 8 }),
        fc.array(fc.nat(1000), { maxLength: 10 }),
        (file, chunkRows, maxBufferedBytes, cuts, order) => {
          const bytes = Buffer.from(file.text);
          const chunker = new CityChunker({ chunkRows, encoding: 'utf-8', maxBufferedBytes: maxBufferedBytes ?? undefined });
          const chunks = pieces(bytes, cuts).flatMap((piece) => chunker.push(piece));
          chunks.push(...chunker.end());
          const context = { layout: chunker.layout!, encoding: 'utf-8' as const };
          const partials = chunks.map((chunk) => mapCityChunk(chunk.data, context));
          expect(chunks.reduce((sum, c) => sum + c.rows, 0)).toBe(chunker.rowsRead);
          chunks.forEach((chunk, i) => {
            expect(chunk.rows).toBeLessThanOrEqual(chunkRows);
            const cities = Object.keys(partials[i].cities);
            if (chunk.cityKey === UNROUTED_CITY_KEY) expect(cities).toEqual([]);
            else expect(cities).toEqual(partials[i].rowsValid > 0 ? [chunk.cityKey] : []);
          });
          const inOnePiece = new CityChunker({ chunkRows, encoding: 'utf-8', maxBufferedBytes: maxBufferedBytes ?? undefined });
          const sameChunks = [...inOnePiece.push(bytes), ...inOnePiece.end()];
          expect(sameChunks.map((c) => [c.cityKey, c.rows, c.data.toString('hex')])).toEqual(chunks.map((c) => [c.cityKey, c.rows, c.data.toString('hex')]));
          const whole = aggregate(file.text);
          const merged = mergeTree(shuffle(partials, order), order);
          expect(JSON.stringify(merged)).toBe(JSON.stringify(whole));
          expect(finalise(merged)).toEqual(finalise(whole));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('stores the same bytes whether records come in runs of whole lines or byte by byte (the two reading paths)', () => {
    fc.assert(
      fc.property(transactionsFile, fc.integer({ min: 1, max: 12 }), (file, chunkRows) => {
        const bytes = Buffer.from(file.text);
        // One piece: quote-free lines go through the splitter's run loop. One byte at a time: every record is
        // completed in the scanner's carry and goes through the general path.
        const runs = new CityChunker({ chunkRows, encoding: 'utf-8' });
        const inRuns = [...runs.push(bytes), ...runs.end()];
        const bytewise = new CityChunker({ chunkRows, encoding: 'utf-8' });
        const byByte = [...[...bytes].flatMap((byte) => bytewise.push(Buffer.of(byte))), ...bytewise.end()];
        const view = (chunks: CityChunk[]) => chunks.map((c) => [c.cityKey, c.rows, c.data.toString('hex')]);
        expect(view(inRuns)).toEqual(view(byByte));
        expect(runs.rowsRead).toBe(bytewise.rowsRead);
      }),
      { numRuns: 100 },
    );
  });

  it('emits a chunk as soon as it holds chunkRows rows, and the largest early past maxBufferedBytes', () => {
    const rows = Array.from({ length: 7 }, (_, i) => `2023-01-01,${i % 2 === 0 ? 'Paris' : 'Lyon'},vente,A,1`);
    const chunker = new CityChunker({ chunkRows: 3, encoding: 'utf-8' });
    const first = chunker.push(Buffer.from(`date,ville,type,modele,prix\n${rows.join('\n')}\n`));
    expect(first.map((c) => [c.cityKey, c.rows])).toEqual([
      ['Paris', 3],
      ['Lyon', 3],
    ]);
    expect(chunker.end().map((c) => [c.cityKey, c.rows])).toEqual([['Paris', 1]]);

    const bounded = new CityChunker({ chunkRows: 100, encoding: 'utf-8', maxBufferedBytes: 120 });
    const early = bounded.push(Buffer.from(`date,ville,type,modele,prix\n${rows.join('\n')}\n`));
    expect(early.length).toBeGreaterThan(0);
    expect(early.every((c) => c.data.length <= 120 + 40)).toBe(true);
    expect(bounded.bytesRead).toBe(Buffer.byteLength(`date,ville,type,modele,prix\n${rows.join('\n')}\n`));
    expect(bounded.rowsRead).toBe(7);
  });
});

describe('chunk buffers given back with release()', () => {
  const villes = ['Paris', 'Lyon', 'Nîmes', 'Saint-Étienne'];
  const rows = Array.from({ length: 40_000 }, (_, i) => `TX${i},2023-0${1 + (i % 9)}-1${i % 10},${villes[(i * 7) % 4]},${i % 3 ? 'vente' : 'location'},Modèle ${i % 37},${i}.5,`);
  const file = Buffer.from(`${HEADER}\n${rows.join('\n')}\n`);

  function chunksOf(release: boolean): { cityKey: string; rows: number; hex: string; buffer: ArrayBufferLike }[] {
    const chunker = new CityChunker({ chunkRows: 50_000, encoding: 'utf-8', maxBufferedBytes: 512 * 1024 });
    const out: { cityKey: string; rows: number; hex: string; buffer: ArrayBufferLike }[] = [];
    const take = (chunks: CityChunk[]): void => {
      for (const chunk of chunks) {
        out.push({ cityKey: chunk.cityKey, rows: chunk.rows, hex: chunk.data.toString('hex'), buffer: chunk.data.buffer });
        if (release) {
          chunker.release(chunk.data);
          chunker.release(chunk.data); // a second release of the same bytes is ignored
        }
      }
    };
    // Cut in many pieces, as a file is read: chunks given back after one piece are reused by the next ones.
    for (const piece of pieces(file, Array.from({ length: 60 }, (_, i) => i * 40_000))) take(chunker.push(piece));
    take(chunker.end());
    return out;
  }

  it('are written over by later chunks, which come out exactly as without reuse', () => {
    const fresh = chunksOf(false);
    const reused = chunksOf(true);
    expect(reused.map(({ cityKey, rows, hex }) => ({ cityKey, rows, hex }))).toEqual(fresh.map(({ cityKey, rows, hex }) => ({ cityKey, rows, hex })));
    expect(new Set(reused.map((c) => c.buffer)).size).toBeLessThan(reused.length);
    expect(new Set(fresh.map((c) => c.buffer)).size).toBe(fresh.length);
  });

  it('are never shared by two chunks not given back', () => {
    const chunker = new CityChunker({ chunkRows: 50_000, encoding: 'utf-8', maxBufferedBytes: 512 * 1024 });
    const held = [...chunker.push(file), ...chunker.end()];
    const first = held[0];
    chunker.release(first.data);
    chunker.release(first.data);
    const again = new Set<ArrayBufferLike>();
    const more = [...chunker.push(file)];
    for (const chunk of more) {
      expect(again.has(chunk.data.buffer)).toBe(false);
      again.add(chunk.data.buffer);
    }
    expect(more.filter((c) => c.data.buffer === first.data.buffer).length).toBeLessThanOrEqual(1);
  });
});

describe('chunk memory and Node\'s shared Buffer pool', () => {
  // Node allocates Buffers under half of Buffer.poolSize from shared pools: 8 KiB pools on Node 20, 64 KiB on
  // Node 24. A chunk's bytes must be its own, or a chunk given back would hand the pool over to be written on.
  const villes = ['Paris', 'Lyon', 'Nîmes', 'Saint-Étienne', 'Évreux'];
  const rows = Array.from({ length: 20_000 }, (_, i) => `TX${i},2023-0${1 + (i % 9)}-1${i % 10},${villes[(i * 7) % 5]},vente,Modèle ${i % 37},${i}.5,`);
  const file = Buffer.from(`${HEADER}\n${rows.join('\n')}\n`);
  let poolSize = 0;
  beforeEach(() => {
    poolSize = Buffer.poolSize;
    Buffer.poolSize = 64 * 1024;
  });
  afterEach(() => {
    Buffer.poolSize = poolSize;
  });

  it('are never written over while held, nor is any other small Buffer, when chunks are given back as they ship', () => {
    // Chunks of 1-25 KB (under half a 64 KiB pool), shipped in order a few behind the reading, as the split
    // ships them.
    for (const chunkRows of [20, 150, 500]) {
      const chunker = new CityChunker({ chunkRows, encoding: 'utf-8', maxBufferedBytes: 64 * 1024 });
      const waiting: { data: Buffer; copy: Buffer }[] = [];
      const bystanders: { bytes: Buffer; copy: Buffer }[] = [];
      let shipped = 0;
      const ship = (keep: number): void => {
        while (waiting.length > keep) {
          const { data, copy } = waiting.shift()!;
          expect(data.equals(copy)).toBe(true);
          chunker.release(data);
          shipped++;
        }
      };
      for (const piece of pieces(file, Array.from({ length: 100 }, (_, i) => i * 12_000))) {
        for (const chunk of chunker.push(piece)) waiting.push({ data: chunk.data, copy: Buffer.from(Uint8Array.prototype.slice.call(chunk.data)) });
        // Other small Buffers of the process, from the same pools (a Redis client's commands, say).
        const bytes = Buffer.from(`bystander ${bystanders.length} `.repeat(40));
        bystanders.push({ bytes, copy: Buffer.from(Uint8Array.prototype.slice.call(bytes)) });
        ship(3);
      }
      for (const chunk of chunker.end()) waiting.push({ data: chunk.data, copy: Buffer.from(Uint8Array.prototype.slice.call(chunk.data)) });
      ship(0);
      expect(shipped).toBeGreaterThan(30);
      for (const { bytes, copy } of bystanders) expect(bytes.equals(copy)).toBe(true);
    }
  });
});

describe('the transaction_id column', () => {
  function storedRecords(text: string): string[] {
    const chunker = new CityChunker({ chunkRows: 10, encoding: 'utf-8' });
    const records: string[] = [];
    for (const chunk of [...chunker.push(Buffer.from(text)), ...chunker.end()]) {
      readChunkRecords(chunk.data, (_line, start, end) => records.push(chunk.data.subarray(start, end).toString()));
    }
    return records;
  }

  it('leaves the ville out of a quote-free routed record, carried once by its chunk (ACC3), and reads the same', () => {
    const text = `${HEADER}\nTX1,2023-01-01, Paris ,vente,A,1,\nTX2,2023-02-01,Paris,location,B,2,3\nTX3,2023-01-01,Paris,vente,"B, c",3,\nTX4,2023-01-01,  ,vente,A,4,\nTX5,2023-01-01,Lyon\n`;
    const chunker = new CityChunker({ chunkRows: 10, encoding: 'utf-8' });
    const chunks = [...chunker.push(Buffer.from(text)), ...chunker.end()];
    const byCity = new Map(chunks.map((chunk) => [chunk.cityKey, chunk]));
    // The chunk's ville: the first record's trimmed bytes, after the record count.
    const paris = byCity.get('Paris')!.data;
    expect(paris.subarray(0, 4).toString()).toBe('ACC3');
    expect(paris.subarray(8, 14).toString('latin1')).toBe('\x05Paris');
    // Chunks in order Paris, Lyon, unrouted; a quoted record is stored whole; a short record still loses its ville.
    expect(storedRecords(text)).toEqual([',2023-01-01,,vente,A,1,', ',2023-02-01,,location,B,2,3', 'TX3,2023-01-01,Paris,vente,"B, c",3,', ',2023-01-01,', ',2023-01-01,  ,vente,A,4,']);
    // The unrouted chunk (a blank ville) carries none and keeps its records' ville bytes.
    expect(byCity.get(UNROUTED_CITY_KEY)!.data.subarray(0, 4).toString()).toBe('ACC2');
    const merged = chunks.map((c) => mapCityChunk(c.data, { layout: chunker.layout!, encoding: 'utf-8' })).reduce(mergePartials, emptyPartial());
    expect(merged).toEqual(aggregate(text));
    expect(merged.rejectedByReason).toEqual({ missing_ville: 1, field_count: 1 });
  });

  it('is left empty in a quote-free record when it comes first, which no rule reads', () => {
    const text = `${HEADER}\nTX1,2023-01-01,Paris,vente,A,1,\n"T,X\n2",2023-01-01,Paris,vente,A,2,\nTX3,2023-01-01,Paris,vente,"B, c",3,\nTX4\n`;
    // (A quote-free record routed by its ville also leaves the ville out: the chunk carries it once.)
    expect(storedRecords(text)).toEqual([',2023-01-01,,vente,A,1,', '"T,X\n2",2023-01-01,Paris,vente,A,2,', 'TX3,2023-01-01,Paris,vente,"B, c",3,', 'TX4']);
    expect(storedRecords('date,transaction_id,ville,type,modele,prix\n2023-01-01,TX1,Paris,vente,A,1\n')).toEqual(['2023-01-01,TX1,,vente,A,1']);
    const chunker = new CityChunker({ chunkRows: 10, encoding: 'utf-8' });
    const chunks = [...chunker.push(Buffer.from(text)), ...chunker.end()];
    const merged = chunks.map((c) => mapCityChunk(c.data, { layout: chunker.layout!, encoding: 'utf-8' })).reduce(mergePartials, emptyPartial());
    expect(merged).toEqual(aggregate(text));
  });
});

describe('a ville column of ids (one city per row)', () => {
  it('keeps buffering bounded and linear', () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `2023-01-01,City ${i},vente,A,1`);
    const text = `date,ville,type,modele,prix\n${rows.join('\n')}\n`;
    const chunker = new CityChunker({ chunkRows: 1000, encoding: 'utf-8', maxBufferedBytes: 64 * 1024 });
    const started = performance.now();
    const chunks = [...pieces(Buffer.from(text), [100_000, 400_000]).flatMap((piece) => chunker.push(piece)), ...chunker.end()];
    expect(performance.now() - started).toBeLessThan(5000);
    expect(chunks.reduce((sum, c) => sum + c.rows, 0)).toBe(30_000);
    expect(new Set(chunks.map((c) => c.cityKey)).size).toBe(30_000);
  });
});

describe('chunks of a Windows-1252 file', () => {
  it('map to what the aggregator reads', () => {
    const text = `date;ville;type;modele;prix\n01/02/2023;Nîmes;vente;Citroën “C3” €;12\u00a0345,5\n02/02/2023;\u00a0Nîmes;location;Œuvre;0,5\n03/02/2023;Évreux;vente;Škoda;9\n`;
    const bytes = iconv.encode(text, 'win1252');
    const chunker = new CityChunker({ chunkRows: 1, encoding: 'windows-1252' });
    const chunks = [...chunker.push(bytes), ...chunker.end()];
    expect(chunks.map((c) => c.cityKey)).toEqual(['Nîmes', 'Nîmes', 'Évreux']);
    const merged = chunks.map((c) => mapCityChunk(c.data, { layout: chunker.layout!, encoding: 'windows-1252' })).reduce(mergePartials, emptyPartial());
    expect(merged).toEqual(aggregate(bytes, { encoding: 'windows-1252' }));
    expect(finalise(merged).top_modeles['Nîmes'].map((m) => m.modele)).toEqual(['Citroën “C3” €', 'Œuvre']);
  });
});

describe('chunk format', () => {
  it('refuses bytes that are not a whole city-chunk', () => {
    const chunker = new CityChunker({ chunkRows: 10, encoding: 'utf-8' });
    const [chunk] = [...chunker.push(Buffer.from('date,ville,type,modele,prix\n2023-01-01,Paris,vente,A,1\n')), ...chunker.end()];
    const context = { layout: chunker.layout!, encoding: 'utf-8' as const };
    expect(mapCityChunk(chunk.data, context).rowsValid).toBe(1);
    expect(() => mapCityChunk(chunk.data.subarray(0, chunk.data.length - 1), context)).toThrow(ChunkFormatError);
    expect(() => mapCityChunk(Buffer.concat([chunk.data, Buffer.from([0])]), context)).toThrow(ChunkFormatError);
    expect(() => mapCityChunk(Buffer.from('2023-01-01,Paris,vente,A,1'), context)).toThrow(ChunkFormatError);
  });
});

describe('chunks of the earlier format (ACC1: u32 line, u32 length per record)', () => {
  it('are still read, to the same metrics as the current format', () => {
    const text = `${HEADER}\nTX1,2023-01-05,Paris,vente,"Clio, 5 portes",100.5,\n\nTX2,2023-02-05,Paris,location,Zoe,20,12\nTX3,bad,Paris,vente,Zoe,1,\n`;
    const { layout, records } = rawRecords(text);
    const v1 = Buffer.concat([
      Buffer.from('ACC1'),
      Buffer.from(new Uint32Array([records.length]).buffer),
      ...records.flatMap((r) => [Buffer.from(new Uint32Array([r.line, r.bytes.length]).buffer), r.bytes]),
    ]);
    const writer = new ChunkWriter(16);
    for (const r of records) writer.append(r.bytes, 0, r.bytes.length, r.line);
    const current = writer.finish();
    expect(current.subarray(0, 4).toString()).toBe('ACC2');
    expect(current.length).toBeLessThan(v1.length);
    const context = { layout, encoding: 'utf-8' as const };
    const partial = mapCityChunk(v1, context);
    expect(partial).toEqual(mapCityChunk(current, context));
    expect(partial.rowsValid).toBe(2);
    expect(partial.samples).toEqual([{ line: 5, reason: "invalid date 'bad'" }]);
    expect(() => mapCityChunk(v1.subarray(0, v1.length - 1), context)).toThrow(ChunkFormatError);
  });

  it('codes any line numbers, in any order, and refuses every truncation of a chunk', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 2 ** 32 - 1 }), fc.uint8Array({ maxLength: 300 })), { maxLength: 12 }), (records) => {
        const writer = new ChunkWriter(16);
        for (const [line, bytes] of records) writer.append(Buffer.from(bytes), 0, bytes.length, line);
        const data = writer.finish();
        const read: [number, number[]][] = [];
        readChunkRecords(data, (line, start, end) => read.push([line, [...data.subarray(start, end)]]));
        expect(read).toEqual(records.map(([line, bytes]) => [line, [...bytes]]));
        for (let cut = 0; cut < data.length; cut += 1 + (cut >> 3)) {
          if (records.length > 0) expect(() => readChunkRecords(data.subarray(0, cut), () => undefined)).toThrow(ChunkFormatError);
        }
        expect(() => readChunkRecords(Buffer.concat([data, Buffer.from([0])]), () => undefined)).toThrow(ChunkFormatError);
      }),
      { numRuns: 200 },
    );
  });
});

describe('agreement with the reference implementation', () => {
  it('gives the reference results, counts and samples', () => {
    fc.assert(
      fc.property(transactionsFile, (file) => {
        const reference = referenceCompute(Buffer.from(file.text), { maxRejectRatio: 1 });
        if (isReferenceFailure(reference)) throw new Error(reference.error);
        const partial = aggregate(file.text);
        expect(finalise(partial)).toEqual(reference.results);
        expect(partial.rejectedByReason).toEqual(reference.rejectedByReason);
        expect(partial.samples).toEqual(reference.samples.map(({ line, reason }) => ({ line, reason })));
      }),
      { numRuns: 200 },
    );
  });
});
