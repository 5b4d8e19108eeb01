import { closeSync, fstatSync, openSync, readSync, renameSync } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { AppFailure, describeZodIssues } from '../../shared/errors';
import { HistoryQuerySchema } from '../../shared/history-query';
import type { HistoryCurrencyTotal, HistoryQueryInput } from '../../shared/history-query';
import { LinkRecordSchema } from '../../shared/link';
import type { LinkRecord } from '../../shared/link';
import { HistoryColumns, grown } from './columns';
import {
  SNAPSHOT_FILE,
  SNAPSHOT_TEMP_FILE,
  damagedFileName,
  isErrno,
  journalFile,
  listFolder,
  removeFile,
  setAside,
  syncFolder,
} from './files';
import { ROW_CREATING, ROW_FINAL, indexRowOf } from './search-index';
import { SnapshotRecordLost, parseRecordLine, readJournal, readSnapshot, readSnapshotIndex, writeSnapshotFile } from './snapshot-format';
import type { IndexedSnapshot, RecordLocations, SnapshotLine } from './snapshot-format';

/** What was damaged when the history was opened (or found damaged later); the renderer tells the merchant. */
export interface HistoryRecovery {
  /** Lines that could not be read (their records are missing unless a later line had them). */
  damagedLines: number;
  /** Copy of the (first) damaged file, kept untouched for support. */
  setAsideFile: string | null;
  /** Every damaged file's copy, when more than one was damaged. */
  setAsideFiles: string[];
}

export interface HistoryQueryResult {
  items: LinkRecord[];
  /** Size of the filtered set. */
  total: number;
  /** Sums over the filtered set, per currency. */
  totals: HistoryCurrencyTotal[];
}

export interface HistoryStore {
  /** Inserts or replaces the record with this merchantRef; durable when the promise resolves. */
  put(record: LinkRecord): Promise<void>;
  get(merchantRef: string): LinkRecord | undefined;
  getById(stxId: string): LinkRecord | undefined;
  /** Filtered, sorted, paged. Records are shared with the store: treat them as read-only. */
  query(q: HistoryQueryInput): HistoryQueryResult;
  /** Every record. Reads every record not read yet: prefer query, get or nonFinal. */
  all(): readonly LinkRecord[];
  /** Links whose status is not final yet (what the watcher polls), without reading the others. */
  nonFinal(): LinkRecord[];
  /** Links recorded before their create request whose answer never arrived: reconcile on start. */
  unfinishedCreates(): LinkRecord[];
  /**
   * Damage found when the history was opened. Record lines are checked when first read (and all
   * of them in the background shortly after opening), so this can also change later.
   */
  readonly recovery: HistoryRecovery | null;
  /** Rewrites the snapshot now (normally this happens by itself in the background). */
  compact(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenHistoryOptions {
  dir: string;
  now?: () => Date;
  /** Journal lines after which a background compaction starts; default max(1000, live records / 4). */
  compactAfterLines?: (liveRecords: number) => number;
}

interface PendingPut {
  record: LinkRecord;
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const ioFailure = (action: string, error: unknown): AppFailure =>
  new AppFailure({
    code: 'history.io',
    // The errno code helps support; the path and the OS text stay out of the message.
    message: `The payment link history could not be ${action}${isErrnoLike(error) ? ` (${error.code})` : ''}.`,
  });

const closedFailure = (): AppFailure => new AppFailure({ code: 'history.io', message: 'The payment link history is closed.' });

function isErrnoLike(error: unknown): error is { code: string } {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return null;
    throw error;
  }
}

/**
 * The snapshot's record lines, read when a record is first needed. Synchronous, because get and
 * query are; a line is a few hundred bytes from the page cache.
 */
class SnapshotReader {
  private buffer = Buffer.alloc(0);
  private windowStart = 0;
  private windowLength = 0;

  constructor(
    private readonly path: string,
    private fd: number | null,
  ) {}

  /** A buffer of its own. */
  read(offset: number, length: number): Buffer {
    const bytes = Buffer.allocUnsafe(length);
    if (this.fill(bytes, offset) < length) throw new Error('The snapshot ended early.');
    return bytes;
  }

  /** For reading line after line, a megabyte at a time: valid until the next call. */
  readAhead(offset: number, length: number): Buffer {
    if (offset < this.windowStart || offset + length > this.windowStart + this.windowLength) {
      const size = Math.max(length, 1 << 20);
      if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(size);
      this.windowStart = offset;
      this.windowLength = this.fill(this.buffer.subarray(0, size), offset);
      if (this.windowLength < length) throw new Error('The snapshot ended early.');
    }
    const start = offset - this.windowStart;
    return this.buffer.subarray(start, start + length);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.buffer = Buffer.alloc(0);
    this.windowLength = 0;
  }

  /** Reads from `offset` until `target` is full or the file ends; returns the bytes read. */
  private fill(target: Buffer, offset: number): number {
    // A failed reopen after a compaction is retried here.
    this.fd ??= openSync(this.path, 'r');
    let done = 0;
    while (done < target.length) {
      const read = readSync(this.fd, target, done, target.length - done, offset + done);
      if (read === 0) break;
      done += read;
    }
    return done;
  }
}

/**
 * The local history of payment links: an append-only journal (one full record per line, the
 * last line per merchantRef wins) plus a snapshot that compaction rewrites atomically.
 * See README.md beside this file for why it is built this way.
 */
export async function openHistoryStore(options: OpenHistoryOptions): Promise<HistoryStore> {
  const now = options.now ?? (() => new Date());
  const { dir } = options;
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw ioFailure('opened', error);
  }
  try {
    return await loadStore(dir, now, options.compactAfterLines ?? ((live) => Math.max(1000, Math.ceil(live / 4))));
  } catch (error) {
    if (error instanceof AppFailure) throw error;
    throw ioFailure('opened', error);
  }
}

/** Opens the snapshot by its index; null when it has to be read line by line (or is missing). */
function openIndexedSnapshot(path: string): { snapshot: IndexedSnapshot; fd: number } | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return null;
    throw error;
  }
  try {
    const snapshot = readSnapshotIndex(fd, fstatSync(fd).size);
    if (snapshot) return { snapshot, fd };
  } catch {
    // Unreadable as indexed: the line-by-line reading below finds out what is left.
  }
  closeSync(fd);
  return null;
}

async function loadStore(dir: string, now: () => Date, compactAfterLines: (live: number) => number): Promise<HistoryStore> {
  const listing = await listFolder(dir);
  if (listing.hasSnapshotTemp) await removeFile(dir, SNAPSHOT_TEMP_FILE);

  // In file order, so the last line per merchantRef wins when the store applies them.
  const loaded: LinkRecord[][] = [];
  const damagedFiles: string[] = [];
  let damagedLines = 0;
  let snapshotGeneration = 0;
  let headerLost = false;
  let snapshotTrusted = true;

  const snapshotPath = join(dir, SNAPSHOT_FILE);
  const indexed = listing.hasSnapshot ? openIndexedSnapshot(snapshotPath) : null;
  if (indexed) {
    snapshotGeneration = indexed.snapshot.generation;
  } else if (listing.hasSnapshot) {
    const snapshotBytes = await readIfExists(snapshotPath);
    if (snapshotBytes) {
      const snapshot = readSnapshot(snapshotBytes);
      loaded.push(snapshot.records);
      // Whatever was read this way is rewritten in the current format soon.
      snapshotTrusted = false;
      if (snapshot.generation === null) headerLost = true;
      else snapshotGeneration = snapshot.generation;
      if (snapshot.damagedLines > 0) {
        damagedLines += snapshot.damagedLines;
        damagedFiles.push(SNAPSHOT_FILE);
      }
    }
  }

  // Journals older than the snapshot are already in it (a compaction stopped before deleting
  // them); if the snapshot's header is lost, replaying them too is harmless.
  const liveJournals = listing.journalGenerations.filter((g) => headerLost || g >= snapshotGeneration);
  const staleJournals = listing.journalGenerations.filter((g) => !liveJournals.includes(g));
  let journalLines = 0;
  for (const generation of liveJournals) {
    const bytes = await readIfExists(join(dir, journalFile(generation)));
    if (!bytes) continue;
    const journal = readJournal(bytes);
    loaded.push(journal.records);
    journalLines += journal.records.length;
    if (journal.damagedLines > 0) {
      damagedLines += journal.damagedLines;
      damagedFiles.push(journalFile(generation));
    }
  }

  const store = new JournaledHistoryStore(dir, now, compactAfterLines, indexed, loaded);
  const highestGeneration = Math.max(snapshotGeneration, ...listing.journalGenerations);

  if (damagedFiles.length > 0) {
    // Keep the damaged originals byte for byte, then write what could be read as a fresh
    // snapshot, so the next start is clean and new lines never follow a torn one.
    const taken = new Set(listing.names);
    const asidePaths: string[] = [];
    for (const name of damagedFiles) {
      const asideName = damagedFileName(taken, now());
      taken.add(asideName);
      asidePaths.push(await setAside(dir, name, asideName));
    }
    const generation = highestGeneration + 1;
    await store.startJournal(generation);
    await store.writeSnapshot(generation);
    for (const old of listing.journalGenerations) await removeFile(dir, journalFile(old));
    await syncFolder(dir);
    store.recovery = { damagedLines, setAsideFile: asidePaths[0] ?? null, setAsideFiles: asidePaths };
    store.verifySoon();
    return store;
  }

  const current = liveJournals.length > 0 ? Math.max(...liveJournals) : snapshotGeneration;
  await store.startJournal(current, journalLines);
  for (const old of staleJournals) await removeFile(dir, journalFile(old));
  // Several live journals mean a compaction was interrupted; a snapshot read line by line was
  // changed outside the app or written by an older version: a fresh snapshot makes the next start fast.
  if (liveJournals.length > 1 || !snapshotTrusted) store.compactSoon();
  else store.compactIfLarge();
  store.verifySoon();
  return store;
}

class JournaledHistoryStore implements HistoryStore {
  recovery: HistoryRecovery | null = null;

  private readonly columns: HistoryColumns;
  /** Records read or put so far, by slot; the others are read from the snapshot on demand. */
  private readonly records: (LinkRecord | undefined)[] = [];
  /** Changes on every put of the slot, so a snapshot write can tell what changed meanwhile. */
  private versions: Uint32Array = new Uint32Array(0);
  /** Where the slot's record line is in the snapshot file; -1 when the record is only in `records`. */
  private lineOffsets: Float64Array = new Float64Array(0);
  private lineLengths: Uint32Array = new Uint32Array(0);
  private lineCrcs: Uint32Array = new Uint32Array(0);
  private reader: SnapshotReader | null = null;
  /** Increases whenever the snapshot file is replaced. */
  private snapshotEpoch = 0;
  /** The copy of the current snapshot kept aside after damage was found in it, while it is made. */
  private snapshotSetAside: Promise<void> | null = null;
  private snapshotSetAsideDone = false;
  private allRecords: LinkRecord[] | null = null;

  private journal: FileHandle | null = null;
  private generation = 0;
  private journalSize = 0;
  /** Journal lines not yet in a snapshot (also those in journals a failed compaction left). */
  private linesSinceSnapshot = 0;
  private compactionDueAt: number;

  private readonly pending: PendingPut[] = [];
  private flushScheduled = false;
  /** Every journal operation runs in this chain, one at a time, in order. */
  private chain: Promise<unknown> = Promise.resolve();
  private compaction: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly now: () => Date,
    private readonly compactAfterLines: (live: number) => number,
    indexed: { snapshot: IndexedSnapshot; fd: number } | null,
    loaded: readonly (readonly LinkRecord[])[],
  ) {
    if (indexed) {
      const { seed, locations } = indexed.snapshot;
      this.columns = new HistoryColumns(seed);
      this.reader = new SnapshotReader(join(dir, SNAPSHOT_FILE), indexed.fd);
      this.lineOffsets = locations.offsets;
      this.lineLengths = locations.lengths;
      this.lineCrcs = locations.crcs;
      this.versions = new Uint32Array(seed.count);
    } else {
      this.columns = new HistoryColumns();
    }
    for (const records of loaded) for (const record of records) this.apply(record);
    this.compactionDueAt = compactAfterLines(this.columns.liveCount);
  }

  async startJournal(generation: number, existingLines = 0): Promise<void> {
    const handle = await open(join(this.dir, journalFile(generation)), 'a');
    await syncFolder(this.dir);
    this.journal = handle;
    this.generation = generation;
    this.journalSize = (await handle.stat()).size;
    this.linesSinceSnapshot = existingLines;
  }

  put(record: LinkRecord): Promise<void> {
    if (this.closed) return Promise.reject(closedFailure());
    const parsed = LinkRecordSchema.safeParse(record);
    if (!parsed.success) {
      return Promise.reject(new AppFailure({ code: 'internal', message: `A history record is invalid: ${describeZodIssues(parsed.error)}` }));
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ record: parsed.data, line: `${JSON.stringify(parsed.data)}\n`, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        void this.inChain(() => {
          this.flushScheduled = false;
          return this.flush();
        });
      }
    });
  }

  get(merchantRef: string): LinkRecord | undefined {
    const slot = this.columns.slotOf(merchantRef);
    return slot === undefined ? undefined : this.recordAt(slot);
  }

  getById(stxId: string): LinkRecord | undefined {
    const slot = this.columns.slotOfId(stxId);
    return slot === undefined ? undefined : this.recordAt(slot);
  }

  query(input: HistoryQueryInput): HistoryQueryResult {
    const parsed = HistoryQuerySchema.safeParse(input);
    if (!parsed.success) throw new AppFailure({ code: 'ipc.invalid_input', message: describeZodIssues(parsed.error) });
    const { slots, total, totals } = this.columns.query(parsed.data);
    return { items: this.recordsAt(slots), total, totals };
  }

  all(): readonly LinkRecord[] {
    this.allRecords ??= this.recordsAt(this.columns.slotsWith(0));
    return this.allRecords;
  }

  nonFinal(): LinkRecord[] {
    return this.recordsAt(this.columns.slotsWith(0, ROW_FINAL));
  }

  unfinishedCreates(): LinkRecord[] {
    return this.recordsAt(this.columns.slotsWith(ROW_CREATING));
  }

  compact(): Promise<void> {
    if (this.compaction) return this.compaction;
    if (this.closed) return Promise.resolve();
    const run = (async () => {
      const { generation, lines } = await this.inChain(() => this.switchJournal());
      await this.writeSnapshot(generation);
      this.linesSinceSnapshot -= lines;
      this.compactionDueAt = this.compactAfterLines(this.columns.liveCount);
      await this.inChain(async () => {
        const listing = await listFolder(this.dir);
        for (const old of listing.journalGenerations) if (old < generation) await removeFile(this.dir, journalFile(old));
        await syncFolder(this.dir);
      });
    })();
    this.compaction = run.finally(() => {
      this.compaction = null;
    });
    return this.compaction;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.compaction?.catch(() => undefined);
    await this.snapshotSetAside?.catch(() => undefined);
    await this.chain;
    await this.journal?.close();
    this.journal = null;
    this.reader?.close();
    this.reader = null;
  }

  /**
   * Writes every record as snapshot `generation` (journals below it become redundant) and
   * switches reading to it.
   */
  async writeSnapshot(generation: number): Promise<void> {
    const tempPath = join(this.dir, SNAPSHOT_TEMP_FILE);
    // A record found damaged while writing is dropped and the snapshot written again without it.
    for (let attempt = 0; ; attempt++) {
      const slots = this.columns.slotsNewestFirst();
      const slotsByRef = this.columns.slotsByMerchantRef();
      const writtenVersions = new Uint32Array(this.columns.size);
      try {
        const written = await writeSnapshotFile(tempPath, generation, this.now(), slots, slotsByRef, (slot) => {
          const line = this.snapshotLineOf(slot);
          writtenVersions[slot] = this.versions[slot] as number;
          return line;
        });
        await this.switchSnapshot(tempPath, slots, written.locations, written.search, writtenVersions);
        return;
      } catch (error) {
        if (!(error instanceof SnapshotRecordLost) || attempt >= 2) throw error;
      }
    }
  }

  compactSoon(): void {
    this.compact().catch(() => this.postponeCompaction());
  }

  compactIfLarge(): void {
    if (!this.compaction && this.linesSinceSnapshot > this.compactionDueAt) this.compactSoon();
  }

  /**
   * Checks every record line of the snapshot against its CRC in the background, a chunk at a
   * time, so damage shows up soon after opening rather than when a record is first read.
   */
  verifySoon(): void {
    const epoch = this.snapshotEpoch;
    const slots = this.columns.size;
    let slot = 0;
    const step = (): void => {
      if (this.closed || this.snapshotEpoch !== epoch || !this.reader) return;
      let bytes = 0;
      try {
        for (; slot < slots && bytes < 1 << 20; slot++) {
          const offset = this.lineOffsets[slot] as number;
          if (offset < 0 || this.records[slot] !== undefined || !this.columns.isLive(slot)) continue;
          const line = this.reader.readAhead(offset, this.lineLengths[slot] as number);
          bytes += line.length;
          if (crc32(line) !== this.lineCrcs[slot]) this.decodeLine(slot, Buffer.from(line));
        }
      } catch {
        // The disk is failing: reading the record when it is needed reports it.
        return;
      }
      if (slot < slots) setImmediate(step);
    };
    setImmediate(step);
  }

  private postponeCompaction(): void {
    // The journal keeps everything; try again once it has grown by another threshold.
    this.compactionDueAt = this.linesSinceSnapshot + this.compactAfterLines(this.columns.liveCount);
  }

  private inChain<T>(step: () => Promise<T>): Promise<T> {
    const run = this.chain.then(step);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** One write and one fsync for every put that arrived while the previous write was on its way. */
  private async flush(): Promise<void> {
    const batch = this.pending.splice(0);
    if (batch.length === 0) return;
    const journal = this.journal;
    if (!journal) {
      for (const p of batch) p.reject(closedFailure());
      return;
    }
    const bytes = Buffer.from(batch.map((p) => p.line).join(''), 'utf8');
    const sizeBefore = this.journalSize;
    try {
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await journal.write(bytes, written, bytes.length - written, null);
        written += bytesWritten;
      }
      await journal.datasync();
    } catch (error) {
      await this.dropTornTail(journal, sizeBefore);
      const failure = ioFailure('saved', error);
      for (const p of batch) p.reject(failure);
      return;
    }
    this.journalSize = sizeBefore + bytes.length;
    this.linesSinceSnapshot += batch.length;
    for (const p of batch) {
      this.apply(p.record);
      p.resolve();
    }
    this.compactIfLarge();
  }

  /** After a failed append the next line must not be glued to a partial one. */
  private async dropTornTail(journal: FileHandle, size: number): Promise<void> {
    try {
      await journal.truncate(size);
      await journal.datasync();
    } catch {
      // Cannot repair in place: continue in a new journal; the torn tail is reported on next open.
      try {
        const generation = this.generation + 1;
        const next = await open(join(this.dir, journalFile(generation)), 'a');
        await syncFolder(this.dir);
        await journal.close().catch(() => undefined);
        this.journal = next;
        this.generation = generation;
        this.journalSize = 0;
      } catch {
        // The disk is failing: the next put reports it.
      }
    }
  }

  private async switchJournal(): Promise<{ generation: number; lines: number }> {
    const generation = this.generation + 1;
    const next = await open(join(this.dir, journalFile(generation)), 'a');
    await syncFolder(this.dir);
    const previous = this.journal;
    this.journal = next;
    this.generation = generation;
    this.journalSize = 0;
    await previous?.close();
    // From here every put goes to the new journal, so whatever state a record has when the
    // snapshot writer reaches it is covered by the new journal's replay.
    return { generation, lines: this.linesSinceSnapshot };
  }

  /**
   * Puts the written temp file in place of the snapshot. The switch itself is synchronous, so no
   * read of a record line can happen between the rename and pointing the slots at the new file.
   */
  private async switchSnapshot(
    tempPath: string,
    slots: readonly number[],
    locations: RecordLocations,
    search: Parameters<HistoryColumns['replaceSearch']>[0],
    writtenVersions: Uint32Array,
  ): Promise<void> {
    // A damaged snapshot is copied aside before anything replaces it.
    while (this.snapshotSetAside) {
      const copying = this.snapshotSetAside;
      await copying.catch(() => undefined);
      if (this.snapshotSetAside === copying) break;
    }
    const path = join(this.dir, SNAPSHOT_FILE);
    const hadReader = this.reader !== null;
    this.reader?.close();
    try {
      renameSync(tempPath, path);
    } catch (error) {
      if (hadReader) this.reader = new SnapshotReader(path, null);
      throw error;
    }
    let fd: number | null = null;
    try {
      fd = openSync(path, 'r');
    } catch {
      // Opened again when a line is next read.
    }
    this.reader = new SnapshotReader(path, fd);
    this.snapshotEpoch += 1;
    this.snapshotSetAside = null;
    this.snapshotSetAsideDone = false;

    this.ensureSlots(this.columns.size);
    const unchanged = (slot: number): boolean => this.columns.isLive(slot) && this.versions[slot] === writtenVersions[slot];
    this.lineOffsets.fill(-1);
    slots.forEach((slot, i) => {
      if (!unchanged(slot)) return;
      this.lineOffsets[slot] = locations.offsets[i] as number;
      this.lineLengths[slot] = locations.lengths[i] as number;
      this.lineCrcs[slot] = locations.crcs[i] as number;
    });
    this.columns.replaceSearch(search, unchanged);
    await syncFolder(this.dir);
  }

  private snapshotLineOf(slot: number): SnapshotLine | null {
    if (!this.columns.isLive(slot)) return null;
    const offset = this.lineOffsets[slot] as number;
    if (offset >= 0 && this.reader) {
      const line = this.reader.readAhead(offset, this.lineLengths[slot] as number);
      const crc = this.lineCrcs[slot] as number;
      if (crc32(line) === crc) return { bytes: Buffer.from(line), crc, row: this.columns.rowOf(slot) };
      if (this.records[slot] === undefined && !this.decodeLine(slot, Buffer.from(line))) return null;
    }
    const record = this.records[slot];
    if (!record) return null;
    const bytes = Buffer.from(JSON.stringify(record));
    return { bytes, crc: crc32(bytes), row: this.columns.rowOf(slot) };
  }

  private recordsAt(slots: readonly number[]): LinkRecord[] {
    const result: LinkRecord[] = [];
    for (const slot of slots) {
      const record = this.recordAt(slot);
      if (record) result.push(record);
    }
    return result;
  }

  private recordAt(slot: number): LinkRecord | undefined {
    const cached = this.records[slot];
    if (cached) return cached;
    if (!this.columns.isLive(slot)) return undefined;
    const offset = this.lineOffsets[slot] as number;
    if (offset < 0) return undefined;
    if (!this.reader) throw closedFailure();
    let line: Buffer;
    try {
      line = this.reader.read(offset, this.lineLengths[slot] as number);
    } catch (error) {
      throw ioFailure('read', error);
    }
    return this.decodeLine(slot, line);
  }

  /** Reads a slot's snapshot line; a line that is not what was written is checked like a journal line. */
  private decodeLine(slot: number, line: Buffer): LinkRecord | undefined {
    const merchantRef = this.columns.merchantRefs[slot];
    if (crc32(line) === this.lineCrcs[slot]) {
      try {
        // What this app version wrote from records it had validated on their way in.
        const record = JSON.parse(line.toString('utf8')) as LinkRecord;
        if (record.merchantRef === merchantRef) {
          this.records[slot] = record;
          return record;
        }
      } catch {
        // Treated as changed on disk below.
      }
    }
    const record = parseRecordLine(line.toString('utf8'));
    if (record && record.merchantRef === merchantRef) {
      // Edited outside the app and still a valid record: taken as it is, like a journal line.
      this.columns.upsert(indexRowOf(record));
      this.records[slot] = record;
      this.versions[slot] = (this.versions[slot] as number) + 1;
      this.lineOffsets[slot] = -1;
      this.allRecords = null;
      if (!this.closed) this.compactSoon();
      return record;
    }
    this.loseRecord(slot);
    return undefined;
  }

  /** A snapshot line that is no longer a record: report it and keep the file for support. */
  private loseRecord(slot: number): void {
    this.columns.remove(slot);
    this.records[slot] = undefined;
    this.lineOffsets[slot] = -1;
    this.versions[slot] = (this.versions[slot] as number) + 1;
    this.allRecords = null;
    const before = this.recovery;
    this.recovery = {
      damagedLines: (before?.damagedLines ?? 0) + 1,
      setAsideFile: before?.setAsideFile ?? null,
      setAsideFiles: before?.setAsideFiles ?? [],
    };
    if (this.closed || this.snapshotSetAside || this.snapshotSetAsideDone) return;
    const copying = (async () => {
      const listing = await listFolder(this.dir);
      const path = await setAside(this.dir, SNAPSHOT_FILE, damagedFileName(listing.names, this.now()));
      const current = this.recovery;
      const files = [...(current?.setAsideFiles ?? []), path];
      this.recovery = { damagedLines: current?.damagedLines ?? 1, setAsideFile: current?.setAsideFile ?? path, setAsideFiles: files };
      this.snapshotSetAsideDone = true;
    })();
    this.snapshotSetAside = copying;
    void copying
      .catch(() => undefined)
      .finally(() => {
        if (this.snapshotSetAside === copying) this.snapshotSetAside = null;
        // Rewritten without the lost record, so the next start is clean.
        if (!this.closed) this.compactSoon();
      });
  }

  private ensureSlots(length: number): void {
    if (this.lineOffsets.length >= length) return;
    const from = this.lineOffsets.length;
    this.lineOffsets = grown(this.lineOffsets, length);
    this.lineOffsets.fill(-1, from);
    this.lineLengths = grown(this.lineLengths, length);
    this.lineCrcs = grown(this.lineCrcs, length);
    this.versions = grown(this.versions, length);
  }

  private apply(record: LinkRecord): void {
    const slot = this.columns.upsert(indexRowOf(record));
    this.ensureSlots(slot + 1);
    this.records[slot] = record;
    this.lineOffsets[slot] = -1;
    this.versions[slot] = (this.versions[slot] as number) + 1;
    this.allRecords = null;
  }
}
