import { readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { LinkRecordSchema } from '../../shared/link';
import type { LinkRecord } from '../../shared/link';
import type { ColumnsSeed, SearchText } from './columns';
import { SEARCH_SEPARATOR } from './search-index';
import type { IndexRow } from './search-index';

/**
 * Reading and writing the history's files. Both are JSON lines with one full record per line, so
 * whatever survives damage can be read line by line. The snapshot (version 2) is:
 *
 *   header line        {"format":…,"version":2,"generation":…,"count":…,"schema":…}
 *   count record lines one record each, newest first
 *   index lines        "#<name> <payload>": every column that opening and querying need, plus
 *                      each record line's length and CRC-32, so opening reads only this part
 *   trailer line       {"end":true,"crc32":<CRC-32 of the index lines>,"records":<bytes>,"index":<bytes>}
 *
 * Record lines are read when a record is first needed, and checked against their CRC then.
 * Version 1 (every record line, CRC over all of them, no index) is still read.
 */

const SNAPSHOT_FORMAT = 'link-desk-history-snapshot';

const SnapshotHeaderSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.union([z.literal(1), z.literal(2)]),
  generation: z.number().int().min(0),
  count: z.number().int().min(0),
  /** Fingerprint of the record schema the lines were checked against when written. */
  schema: z.string(),
  writtenAt: z.string(),
});

const TrailerV1Schema = z.object({ end: z.literal(true), crc32: z.number().int() });
const TrailerV2Schema = z.object({
  end: z.literal(true),
  crc32: z.number().int(),
  records: z.number().int().min(0),
  index: z.number().int().min(0),
});

const IndexMetaSchema = z.object({
  count: z.number().int().min(0),
  littleEndian: z.boolean(),
  statuses: z.array(z.string()),
  currencies: z.array(z.string()),
});

const INDEX_LINE_PREFIX = 0x23; // "#": never the start of a record line

let schemaFingerprint: string | undefined;

/**
 * Changes whenever the record schema's shape changes in a new app version, so a snapshot written
 * by an older version is checked record by record once instead of being trusted.
 */
export function recordSchemaFingerprint(): string {
  if (schemaFingerprint === undefined) {
    const shape = JSON.stringify(z.toJSONSchema(LinkRecordSchema, { unrepresentable: 'any', io: 'input' }));
    schemaFingerprint = crc32(shape).toString(16);
  }
  return schemaFingerprint;
}

export interface ReadResult {
  records: LinkRecord[];
  /** Lines that could not be read as a record, including a torn last line and missing lines. */
  damagedLines: number;
}

export interface SnapshotReadResult extends ReadResult {
  /** null when the header is unreadable: then every journal must be replayed. */
  generation: number | null;
  /** False when the lines had to be checked one by one (changed on disk, or an older schema). */
  trusted: boolean;
}

/** Parses one line from `unknown` with the record schema; null when it is not a valid record. */
export function parseRecordLine(line: string): LinkRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = LinkRecordSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function parseJsonLine<T>(schema: z.ZodType<T>, line: string): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function readLines(text: string, result: ReadResult): void {
  const lines = text.split('\n');
  // Every complete line ends with "\n"; text after the last one is a write cut short.
  const torn = lines.pop();
  if (torn !== undefined && torn !== '' && !torn.startsWith('#')) result.damagedLines += 1;
  for (const line of lines) {
    // Index lines and a trailer are not records; without them nothing is lost.
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('{"end":') && parseJsonLine(TrailerV1Schema, line)) continue;
    const record = parseRecordLine(line);
    if (record) result.records.push(record);
    else result.damagedLines += 1;
  }
}

export function readJournal(bytes: Buffer): ReadResult {
  const result: ReadResult = { records: [], damagedLines: 0 };
  readLines(bytes.toString('utf8'), result);
  return result;
}

/**
 * Reads a whole snapshot line by line: for one that is damaged, changed outside the app,
 * written for another record schema, or in version 1.
 */
export function readSnapshot(bytes: Buffer): SnapshotReadResult {
  const headerEnd = bytes.indexOf(0x0a);
  const header = headerEnd < 0 ? null : parseJsonLine(SnapshotHeaderSchema, bytes.toString('utf8', 0, headerEnd));
  if (!header) {
    // Without a header nothing says where the records start or whether they are complete.
    const result: SnapshotReadResult = { records: [], damagedLines: 1, generation: null, trusted: false };
    readLines(headerEnd < 0 ? bytes.toString('utf8') : bytes.toString('utf8', headerEnd + 1), result);
    return result;
  }

  const bodyStart = headerEnd + 1;
  const endsWithNewline = bytes.length > 0 && bytes[bytes.length - 1] === 0x0a;
  const trailerStart = endsWithNewline ? bytes.lastIndexOf(0x0a, bytes.length - 2) + 1 : -1;
  const trailer =
    header.version === 1 && trailerStart > headerEnd
      ? parseJsonLine(TrailerV1Schema, bytes.toString('utf8', trailerStart, bytes.length - 1))
      : null;
  const body = trailer ? bytes.subarray(bodyStart, trailerStart) : bytes.subarray(bodyStart);

  // A version 2 snapshot only comes here when its index did not check out: read every line.
  const trusted = trailer !== null && trailer.crc32 === crc32(body) && header.schema === recordSchemaFingerprint();
  const result: SnapshotReadResult = { records: [], damagedLines: 0, generation: header.generation, trusted };
  if (trusted) {
    // Byte for byte what this app version wrote from records it had validated on their way in.
    trustedLines(body, result);
  } else {
    readLines(body.toString('utf8'), result);
  }
  const seen = result.records.length + result.damagedLines;
  if (seen < header.count) result.damagedLines += header.count - seen;
  return result;
}

function trustedLines(body: Buffer, result: ReadResult): void {
  // Decoding line by line keeps mostly-ASCII lines as compact one-byte strings.
  let start = 0;
  while (start < body.length) {
    let end = body.indexOf(0x0a, start);
    if (end < 0) end = body.length;
    if (end > start) {
      try {
        result.records.push(JSON.parse(body.toString('utf8', start, end)) as LinkRecord);
      } catch {
        result.damagedLines += 1;
      }
    }
    start = end + 1;
  }
}

/** Where each record line of a version 2 snapshot is, and what was checked about it. */
export interface RecordLocations {
  /** Byte offset of the line in the file. */
  readonly offsets: Float64Array;
  /** Length without the newline. */
  readonly lengths: Uint32Array;
  readonly crcs: Uint32Array;
}

export interface IndexedSnapshot {
  generation: number;
  seed: ColumnsSeed;
  /** In seed slot order. */
  locations: RecordLocations;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, position + done);
    if (read === 0) throw new Error('The snapshot ended early.');
    done += read;
  }
  return buffer;
}

/** The columns' binary layout: [f64 × 4, u32 × 5 per record, u32 search starts (count + 1), u8 flags]. */
function columnsByteLength(count: number): number {
  return count * 32 + count * 20 + (count + 1) * 4 + count;
}

interface BinaryColumns {
  createdMs: Float64Array;
  updatedMs: Float64Array;
  amountCents: Float64Array;
  refundedCents: Float64Array;
  lengths: Uint32Array;
  crcs: Uint32Array;
  statusCodes: Uint32Array;
  currencyCodes: Uint32Array;
  /** Positions in merchantRef order. */
  refOrder: Uint32Array;
  searchStarts: Uint32Array;
  flags: Uint8Array;
}

function binaryColumns(buffer: ArrayBuffer, count: number): BinaryColumns {
  let at = 0;
  const f64 = (): Float64Array => {
    const view = new Float64Array(buffer, at, count);
    at += count * 8;
    return view;
  };
  const u32 = (length = count): Uint32Array => {
    const view = new Uint32Array(buffer, at, length);
    at += length * 4;
    return view;
  };
  const createdMs = f64();
  const updatedMs = f64();
  const amountCents = f64();
  const refundedCents = f64();
  const lengths = u32();
  const crcs = u32();
  const statusCodes = u32();
  const currencyCodes = u32();
  const refOrder = u32();
  const searchStarts = u32(count + 1);
  const flags = new Uint8Array(buffer, at, count);
  return { createdMs, updatedMs, amountCents, refundedCents, lengths, crcs, statusCodes, currencyCodes, refOrder, searchStarts, flags };
}

function stringArray(value: unknown, count: number, nullable: boolean): (string | null)[] | null {
  if (!Array.isArray(value) || value.length !== count) return null;
  for (const item of value as unknown[]) if (typeof item !== 'string' && !(nullable && item === null)) return null;
  return value as (string | null)[];
}

/**
 * Opens a version 2 snapshot by its index alone: null when anything about it does not check out
 * (then it is read line by line with {@link readSnapshot}). Reads only the header, the index
 * and the trailer.
 */
export function readSnapshotIndex(fd: number, size: number): IndexedSnapshot | null {
  const head = readAt(fd, 0, Math.min(size, 4096));
  const headerEnd = head.indexOf(0x0a);
  if (headerEnd < 0) return null;
  const header = parseJsonLine(SnapshotHeaderSchema, head.toString('utf8', 0, headerEnd));
  if (!header || header.version !== 2 || header.schema !== recordSchemaFingerprint()) return null;

  const tailStart = Math.max(headerEnd + 1, size - 4096);
  const tail = readAt(fd, tailStart, size - tailStart);
  if (tail.length < 2 || tail[tail.length - 1] !== 0x0a) return null;
  const trailerStart = tail.lastIndexOf(0x0a, tail.length - 2) + 1;
  if (trailerStart === 0 && tailStart > headerEnd + 1) return null;
  const trailer = parseJsonLine(TrailerV2Schema, tail.toString('utf8', trailerStart, tail.length - 1));
  const recordsStart = headerEnd + 1;
  if (!trailer || recordsStart + trailer.records + trailer.index !== tailStart + trailerStart) return null;

  const index = readAt(fd, recordsStart + trailer.records, trailer.index);
  if (crc32(index) !== trailer.crc32) return null;

  const lines = new Map<string, Buffer>();
  for (let start = 0; start < index.length; ) {
    const end = index.indexOf(0x0a, start);
    if (end < 0 || index[start] !== INDEX_LINE_PREFIX) return null;
    const space = index.indexOf(0x20, start);
    if (space < 0 || space > end) return null;
    lines.set(index.toString('latin1', start + 1, space), index.subarray(space + 1, end));
    start = end + 1;
  }
  const meta = parseJsonLine(IndexMetaSchema, lines.get('meta')?.toString('utf8') ?? '');
  const { count } = header;
  if (!meta || meta.count !== count || meta.littleEndian !== (endianness() === 'LE')) return null;

  const packed = Buffer.from(lines.get('cols')?.toString('latin1') ?? '', 'base64');
  if (packed.length !== columnsByteLength(count)) return null;
  const aligned = new ArrayBuffer(packed.length);
  new Uint8Array(aligned).set(packed);
  const cols = binaryColumns(aligned, count);

  let merchantRefs: string[] | null = null;
  try {
    merchantRefs = stringArray(JSON.parse(lines.get('refs')?.toString('utf8') ?? ''), count, false) as string[] | null;
  } catch {
    return null;
  }
  // Stored as it is (it has no line breaks): decoding is much quicker than JSON.parse of 10 MB.
  const text = lines.get('search')?.toString('utf8');
  if (!merchantRefs || text === undefined || cols.searchStarts[count] !== text.length) return null;

  const offsets = new Float64Array(count);
  let at = recordsStart;
  for (let i = 0; i < count; i++) {
    offsets[i] = at;
    at += (cols.lengths[i] as number) + 1;
  }
  if (at !== recordsStart + trailer.records) return null;

  // Copied out so the rest of the index can be freed; parsed when first needed.
  const lazyArray = (name: string, nullable: boolean): (() => (string | null)[]) => {
    const source = Buffer.from(lines.get(name) ?? Buffer.alloc(0));
    return () => {
      try {
        const values = stringArray(JSON.parse(source.toString('utf8')), count, nullable);
        if (values) return values;
      } catch {
        // Cannot happen with a matching CRC; fall through to an empty column.
      }
      return Array.from({ length: count }, () => (nullable ? null : ''));
    };
  };
  if (!lines.has('ids') || !lines.has('refkeys')) return null;

  const slots = new Int32Array(count);
  for (let i = 0; i < count; i++) slots[i] = i;
  return {
    generation: header.generation,
    seed: {
      count,
      createdMs: cols.createdMs,
      updatedMs: cols.updatedMs,
      amountCents: cols.amountCents,
      refundedCents: cols.refundedCents,
      statusCodes: cols.statusCodes,
      currencyCodes: cols.currencyCodes,
      flags: cols.flags,
      statuses: meta.statuses,
      currencies: meta.currencies,
      merchantRefs,
      refOrder: cols.refOrder,
      search: { text, starts: cols.searchStarts, slots },
      ids: lazyArray('ids', true),
      referenceKeys: lazyArray('refkeys', false) as () => string[],
    },
    locations: { offsets, lengths: cols.lengths, crcs: cols.crcs },
  };
}

/** One record line for the snapshot, without its newline. */
export interface SnapshotLine {
  bytes: Buffer;
  crc: number;
  row: IndexRow;
}

export interface WrittenSnapshot {
  /** In the order written. */
  locations: RecordLocations;
  search: SearchText;
}

/** A record was lost while the snapshot was being written; the caller writes it again without. */
export class SnapshotRecordLost extends Error {}

const NEWLINE = Buffer.from('\n');
const CHUNK_BYTES = 1 << 20;

/**
 * Writes a version 2 snapshot of `slots` (in that order) to `path` and fsyncs it. `lineOf` gives
 * each slot's line when its turn comes; the writer yields to the event loop between chunks, so
 * puts keep going while a large history is written. `slotsByRef` are the same slots in
 * merchantRef order.
 */
export async function writeSnapshotFile(
  path: string,
  generation: number,
  writtenAt: Date,
  slots: readonly number[],
  slotsByRef: readonly number[],
  lineOf: (slot: number) => SnapshotLine | null,
): Promise<WrittenSnapshot> {
  const count = slots.length;
  const handle = await open(path, 'w');
  try {
    const header: z.infer<typeof SnapshotHeaderSchema> = {
      format: SNAPSHOT_FORMAT,
      version: 2,
      generation,
      count,
      schema: recordSchemaFingerprint(),
      writtenAt: writtenAt.toISOString(),
    };
    const headerBytes = Buffer.from(`${JSON.stringify(header)}\n`);
    await handle.write(headerBytes);

    const packed = new ArrayBuffer(columnsByteLength(count));
    const cols = binaryColumns(packed, count);
    const offsets = new Float64Array(count);
    const statuses = new Map<string, number>();
    const currencies = new Map<string, number>();
    const codeOf = (dictionary: Map<string, number>, value: string): number => {
      let code = dictionary.get(value);
      if (code === undefined) dictionary.set(value, (code = dictionary.size));
      return code;
    };
    const merchantRefs: string[] = [];
    const ids: (string | null)[] = [];
    const referenceKeys: string[] = [];
    const searchParts: string[] = [];
    let searchLength = 0;

    let position = headerBytes.length;
    let chunk: Buffer[] = [];
    let chunkBytes = 0;
    for (let i = 0; i < count; i++) {
      const line = lineOf(slots[i] as number);
      if (!line) throw new SnapshotRecordLost();
      offsets[i] = position;
      cols.lengths[i] = line.bytes.length;
      cols.crcs[i] = line.crc;
      chunk.push(line.bytes, NEWLINE);
      chunkBytes += line.bytes.length + 1;
      position += line.bytes.length + 1;

      const { row } = line;
      cols.createdMs[i] = row.createdMs;
      cols.updatedMs[i] = row.updatedMs;
      cols.amountCents[i] = row.amountCents;
      cols.refundedCents[i] = row.refundedCents;
      cols.statusCodes[i] = codeOf(statuses, row.status);
      cols.currencyCodes[i] = codeOf(currencies, row.currency);
      cols.flags[i] = row.flags;
      cols.searchStarts[i] = searchLength;
      searchParts.push(row.searchText);
      searchLength += row.searchText.length + 1;
      merchantRefs.push(row.merchantRef);
      ids.push(row.id);
      referenceKeys.push(row.referenceKey);

      if (chunkBytes >= CHUNK_BYTES) {
        await handle.write(Buffer.concat(chunk, chunkBytes));
        chunk = [];
        chunkBytes = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    if (chunkBytes > 0) await handle.write(Buffer.concat(chunk, chunkBytes));
    cols.searchStarts[count] = searchLength;
    const text = count === 0 ? '' : `${searchParts.join(SEARCH_SEPARATOR)}${SEARCH_SEPARATOR}`;
    let highestSlot = -1;
    for (const slot of slots) if (slot > highestSlot) highestSlot = slot;
    const positionOf = new Int32Array(highestSlot + 1).fill(-1);
    slots.forEach((slot, position) => (positionOf[slot] = position));
    if (slotsByRef.length !== count) throw new Error('The snapshot lists differ.');
    slotsByRef.forEach((slot, i) => {
      const position = positionOf[slot] ?? -1;
      if (position < 0) throw new Error('The snapshot lists differ.');
      cols.refOrder[i] = position;
    });

    const meta: z.infer<typeof IndexMetaSchema> = {
      count,
      littleEndian: endianness() === 'LE',
      statuses: [...statuses.keys()],
      currencies: [...currencies.keys()],
    };
    // One line at a time, yielding in between: each is a few megabytes of work.
    const indexLines: (() => string)[] = [
      () => `#meta ${JSON.stringify(meta)}\n`,
      () => `#cols ${Buffer.from(packed).toString('base64')}\n`,
      () => `#refs ${JSON.stringify(merchantRefs)}\n`,
      () => `#search ${text}\n`,
      () => `#ids ${JSON.stringify(ids)}\n`,
      () => `#refkeys ${JSON.stringify(referenceKeys)}\n`,
    ];
    let indexCrc = 0;
    let indexBytes = 0;
    for (const indexLine of indexLines) {
      const bytes = Buffer.from(indexLine());
      indexCrc = crc32(bytes, indexCrc);
      indexBytes += bytes.length;
      await handle.write(bytes);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const recordsBytes = position - headerBytes.length;
    const trailer: z.infer<typeof TrailerV2Schema> = { end: true, crc32: indexCrc, records: recordsBytes, index: indexBytes };
    await handle.write(`${JSON.stringify(trailer)}\n`);
    await handle.sync();

    const written = new Int32Array(count);
    for (let i = 0; i < count; i++) written[i] = slots[i] as number;
    return {
      locations: { offsets, lengths: cols.lengths, crcs: cols.crcs },
      search: { text, starts: cols.searchStarts, slots: written },
    };
  } finally {
    await handle.close();
  }
}
