import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { LinkRecordSchema } from '../../shared/link';
import type { LinkRecord } from '../../shared/link';

/**
 * Reading and writing the history's two line formats. Both are JSON lines with one full record
 * per line; the snapshot adds a header (its generation and record count) and a trailer (a CRC-32
 * of the record lines) so a complete, unaltered snapshot can be told from a damaged one.
 */

const SNAPSHOT_FORMAT = 'link-desk-history-snapshot';

const SnapshotHeaderSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.literal(1),
  generation: z.number().int().min(0),
  count: z.number().int().min(0),
  /** Fingerprint of the record schema the lines were checked against when written. */
  schema: z.string(),
  writtenAt: z.string(),
});

const SnapshotTrailerSchema = z.object({ end: z.literal(true), crc32: z.number().int() });

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

function readLines(text: string, result: ReadResult): void {
  const lines = text.split('\n');
  // Every complete line ends with "\n"; text after the last one is a write cut short.
  const torn = lines.pop();
  if (torn !== undefined && torn !== '') result.damagedLines += 1;
  for (const line of lines) {
    if (line === '') continue;
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

function parseJsonLine<T>(schema: z.ZodType<T>, line: string): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function readSnapshot(bytes: Buffer): SnapshotReadResult {
  const headerEnd = bytes.indexOf(0x0a);
  const header = headerEnd < 0 ? null : parseJsonLine(SnapshotHeaderSchema, bytes.toString('utf8', 0, headerEnd));
  if (!header) {
    // Without a header nothing says where the records start or whether they are complete.
    const result: SnapshotReadResult = { records: [], damagedLines: 1, generation: null, trusted: false };
    let rest = headerEnd < 0 ? bytes.toString('utf8') : bytes.toString('utf8', headerEnd + 1);
    const lastLineStart = rest.lastIndexOf('\n', rest.length - 2) + 1;
    if (rest.endsWith('\n') && parseJsonLine(SnapshotTrailerSchema, rest.slice(lastLineStart, -1))) rest = rest.slice(0, lastLineStart);
    readLines(rest, result);
    return result;
  }

  const bodyStart = headerEnd + 1;
  const endsWithNewline = bytes.length > 0 && bytes[bytes.length - 1] === 0x0a;
  const trailerStart = endsWithNewline ? bytes.lastIndexOf(0x0a, bytes.length - 2) + 1 : -1;
  const trailer =
    trailerStart > headerEnd ? parseJsonLine(SnapshotTrailerSchema, bytes.toString('utf8', trailerStart, bytes.length - 1)) : null;
  const body = trailer ? bytes.subarray(bodyStart, trailerStart) : bytes.subarray(bodyStart);

  const trusted = trailer !== null && trailer.crc32 === crc32(body) && header.schema === recordSchemaFingerprint();
  const result: SnapshotReadResult = { records: [], damagedLines: 0, generation: header.generation, trusted };
  if (trusted) {
    // Byte for byte what this app version wrote from records it had validated on their way in:
    // checking 100,000 records again would cost seconds at every start.
    trustedLines(body, result);
  } else {
    readLines(body.toString('utf8'), result);
  }
  const seen = result.records.length + result.damagedLines;
  if (seen < header.count) result.damagedLines += header.count - seen;
  return result;
}

function trustedLines(body: Buffer, result: ReadResult): void {
  // Decoding line by line keeps mostly-ASCII lines as compact one-byte strings; one umlaut
  // anywhere would otherwise make the whole 100 MB text a two-byte string.
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

/** The snapshot's lines in chunks, yielding to the event loop between chunks so writers keep going. */
export async function* snapshotChunks(generation: number, records: readonly LinkRecord[], writtenAt: Date): AsyncGenerator<string> {
  const header: z.infer<typeof SnapshotHeaderSchema> = {
    format: SNAPSHOT_FORMAT,
    version: 1,
    generation,
    count: records.length,
    schema: recordSchemaFingerprint(),
    writtenAt: writtenAt.toISOString(),
  };
  yield `${JSON.stringify(header)}\n`;
  const chunkSize = 2000;
  let crc = 0;
  for (let i = 0; i < records.length; i += chunkSize) {
    let text = '';
    for (let j = i; j < Math.min(i + chunkSize, records.length); j++) text += `${JSON.stringify(records[j])}\n`;
    crc = crc32(text, crc);
    yield text;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const trailer: z.infer<typeof SnapshotTrailerSchema> = { end: true, crc32: crc };
  yield `${JSON.stringify(trailer)}\n`;
}
