import { mkdir, open, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { AppFailure, describeZodIssues } from '../../shared/errors';
import { HistoryQuerySchema } from '../../shared/history-query';
import type { HistoryCurrencyTotal, HistoryQueryInput } from '../../shared/history-query';
import { LinkRecordSchema } from '../../shared/link';
import type { LinkRecord } from '../../shared/link';
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
  writeFileAtomically,
} from './files';
import {
  compileSearch,
  compileStatusFilter,
  dayRange,
  indexRecord,
  matchesSearch,
  matchesStatus,
  sortComparator,
  totalsOf,
} from './search-index';
import type { IndexedRecord } from './search-index';
import { readJournal, readSnapshot, snapshotChunks } from './snapshot-format';

/** What was damaged when the history was opened; the renderer tells the merchant. */
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
  all(): readonly LinkRecord[];
  /** Links recorded before their create request whose answer never arrived: reconcile on start. */
  unfinishedCreates(): LinkRecord[];
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

  const snapshotBytes = listing.hasSnapshot ? await readIfExists(join(dir, SNAPSHOT_FILE)) : null;
  if (snapshotBytes) {
    const snapshot = readSnapshot(snapshotBytes);
    loaded.push(snapshot.records);
    snapshotTrusted = snapshot.trusted;
    if (snapshot.generation === null) headerLost = true;
    else snapshotGeneration = snapshot.generation;
    if (snapshot.damagedLines > 0) {
      damagedLines += snapshot.damagedLines;
      damagedFiles.push(SNAPSHOT_FILE);
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

  const store = new JournaledHistoryStore(dir, now, compactAfterLines, loaded);
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
    await store.writeSnapshot(generation, store.all());
    for (const old of listing.journalGenerations) await removeFile(dir, journalFile(old));
    await syncFolder(dir);
    store.recovery = { damagedLines, setAsideFile: asidePaths[0] ?? null, setAsideFiles: asidePaths };
    return store;
  }

  const current = liveJournals.length > 0 ? Math.max(...liveJournals) : snapshotGeneration;
  await store.startJournal(current, journalLines);
  for (const old of staleJournals) await removeFile(dir, journalFile(old));
  // Several live journals mean a compaction was interrupted; an untrusted snapshot was changed
  // outside the app or by an older version: either way a fresh snapshot makes the next start fast.
  if (liveJournals.length > 1 || !snapshotTrusted) store.compactSoon();
  else store.compactIfLarge();
  return store;
}

class JournaledHistoryStore implements HistoryStore {
  recovery: HistoryRecovery | null = null;

  private readonly entries = new Map<string, IndexedRecord>();
  private readonly merchantRefById = new Map<string, string>();
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
    loaded: readonly (readonly LinkRecord[])[],
  ) {
    for (const records of loaded) for (const record of records) this.apply(record);
    this.compactionDueAt = compactAfterLines(this.entries.size);
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
    if (this.closed) return Promise.reject(new AppFailure({ code: 'history.io', message: 'The payment link history is closed.' }));
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
    return this.entries.get(merchantRef)?.record;
  }

  getById(stxId: string): LinkRecord | undefined {
    const merchantRef = this.merchantRefById.get(stxId);
    return merchantRef === undefined ? undefined : this.get(merchantRef);
  }

  query(input: HistoryQueryInput): HistoryQueryResult {
    const parsed = HistoryQuerySchema.safeParse(input);
    if (!parsed.success) throw new AppFailure({ code: 'ipc.invalid_input', message: describeZodIssues(parsed.error) });
    const q = parsed.data;
    const search = compileSearch(q.search);
    const statusFilter = compileStatusFilter(q.statuses);
    const { fromMs, toMs } = dayRange(q.from, q.to);
    const matched: IndexedRecord[] = [];
    for (const entry of this.entries.values()) {
      if (entry.createdMs < fromMs || entry.createdMs >= toMs) continue;
      if (statusFilter && !matchesStatus(entry, statusFilter)) continue;
      if (search && !matchesSearch(entry, search)) continue;
      matched.push(entry);
    }
    const page = pageOf(matched, sortComparator(q.sort), q.offset, q.limit);
    return { items: page.map((e) => e.record), total: matched.length, totals: totalsOf(matched) };
  }

  all(): readonly LinkRecord[] {
    this.allRecords ??= Array.from(this.entries.values(), (e) => e.record);
    return this.allRecords;
  }

  unfinishedCreates(): LinkRecord[] {
    const result: LinkRecord[] = [];
    for (const { record } of this.entries.values()) if (record.state === 'creating') result.push(record);
    return result;
  }

  compact(): Promise<void> {
    if (this.compaction) return this.compaction;
    if (this.closed) return Promise.resolve();
    const run = (async () => {
      const { generation, records, lines } = await this.inChain(() => this.switchJournal());
      await this.writeSnapshot(generation, records);
      this.linesSinceSnapshot -= lines;
      this.compactionDueAt = this.compactAfterLines(this.entries.size);
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
    await this.chain;
    await this.journal?.close();
    this.journal = null;
  }

  /** Writes a snapshot of `records` as generation `generation` (journals below it become redundant). */
  async writeSnapshot(generation: number, records: readonly LinkRecord[]): Promise<void> {
    await writeFileAtomically(this.dir, SNAPSHOT_FILE, SNAPSHOT_TEMP_FILE, snapshotChunks(generation, records, this.now()));
  }

  compactSoon(): void {
    this.compact().catch(() => this.postponeCompaction());
  }

  compactIfLarge(): void {
    if (!this.compaction && this.linesSinceSnapshot > this.compactionDueAt) this.compactSoon();
  }

  private postponeCompaction(): void {
    // The journal keeps everything; try again once it has grown by another threshold.
    this.compactionDueAt = this.linesSinceSnapshot + this.compactAfterLines(this.entries.size);
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
      for (const p of batch) p.reject(new AppFailure({ code: 'history.io', message: 'The payment link history is closed.' }));
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

  private async switchJournal(): Promise<{ generation: number; records: LinkRecord[]; lines: number }> {
    const generation = this.generation + 1;
    const next = await open(join(this.dir, journalFile(generation)), 'a');
    await syncFolder(this.dir);
    const previous = this.journal;
    this.journal = next;
    this.generation = generation;
    this.journalSize = 0;
    await previous?.close();
    // Records are replaced, never changed in place, so this list stays a consistent picture.
    return { generation, records: Array.from(this.entries.values(), (e) => e.record), lines: this.linesSinceSnapshot };
  }

  private apply(record: LinkRecord): void {
    const previous = this.entries.get(record.merchantRef)?.record;
    if (previous?.id != null && previous.id !== record.id) this.merchantRefById.delete(previous.id);
    this.entries.set(record.merchantRef, indexRecord(record));
    if (record.id !== null) this.merchantRefById.set(record.id, record.merchantRef);
    this.allRecords = null;
  }
}

/** Sorts only as much as the page needs: a full sort of 100,000 records costs more than the scan. */
function pageOf(
  entries: IndexedRecord[],
  compare: (a: IndexedRecord, b: IndexedRecord) => number,
  offset: number,
  limit: number,
): IndexedRecord[] {
  const wanted = offset + limit;
  if (wanted > 1000 || wanted * 8 >= entries.length) return entries.sort(compare).slice(offset, wanted);
  // Keep the best `wanted` in a sorted buffer; most records lose against its last one at once.
  const best: IndexedRecord[] = [];
  for (const entry of entries) {
    if (best.length === wanted) {
      const last = best[wanted - 1] as IndexedRecord;
      if (compare(entry, last) >= 0) continue;
      best.pop();
    }
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(best[mid] as IndexedRecord, entry) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, entry);
  }
  return best.slice(offset, wanted);
}
