import { copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { migrate } from './schema';

/**
 * Opening the history database: settings that make it durable, integrity checks, and what
 * happens when the file is damaged or gone. A damaged file is copied aside byte for byte (never
 * deleted), the readable links are carried over into a fresh database, and the merchant is told.
 */

export const DATABASE_FILE = 'links.sqlite';
/** Written when the database is first created: its absence beside a missing database is normal, its presence is not. */
const MARKER_FILE = 'links.created';

/**
 * Durability, measured here (WAL, one row per transaction, 300 commits): `synchronous = NORMAL`
 * p95 0.07 ms, `FULL` (an fsync per commit) median 1 ms but p95 8 ms on this shared disk.
 * Both keep every acknowledged commit when the process is killed (the WAL write is done before
 * COMMIT returns; test/integration/history-crash.test.ts kills writers with SIGKILL). They
 * differ on a power cut or OS crash: NORMAL may lose the last commits (never corrupts), FULL
 * loses nothing. So the default is NORMAL, which fits what most writes are, status changes the
 * account sync can replay from secuconnect; and the facts only this desk knows, the record
 * written before a create is sent, refunds and shipments, commit with FULL ({@link DURABLE}).
 */
export const DURABLE = 'PRAGMA synchronous = FULL';
export const REPLAYABLE = 'PRAGMA synchronous = NORMAL';

function configure(db: DatabaseSync): void {
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    PRAGMA foreign_keys = ON;
    PRAGMA busy_timeout = 2000;
    PRAGMA cache_size = -8000;
  `);
}

/**
 * Databases up to this size are checked with `PRAGMA quick_check` before the first query (it
 * reads every page: ~10 ms per 10 MB). Larger ones open at once and are checked in a worker
 * thread a few seconds later (see `startBackgroundCheck`), so 1,000,000 links still open in milliseconds.
 */
const CHECK_BEFORE_OPEN_BYTES = 48 * 1024 * 1024;

export interface OpenedDatabase {
  db: DatabaseSync;
  path: string;
  /** The database had been created before but was not there any more. */
  wasMissing: boolean;
  /** Damage found while opening; the readable links were carried over. */
  damage: DamageReport | null;
  /** Whether the full check still has to run in the background. */
  needsBackgroundCheck: boolean;
}

export interface DamageReport {
  setAsideFiles: string[];
  keptLinks: number;
  lostLinks: number;
}

function timestampForFile(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

export function isDatabaseCorruption(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${(error as { code?: unknown }).code ?? ''}` : String(error);
  return /malformed|not a database|corrupt|SQLITE_CORRUPT|SQLITE_NOTADB|file is not a database|disk image/i.test(text);
}

function quickCheckOk(db: DatabaseSync): boolean {
  const rows = db.prepare('PRAGMA quick_check').all() as Array<Record<string, unknown>>;
  return rows.length === 1 && Object.values(rows[0] ?? {})[0] === 'ok';
}

/** Copies the database (and its WAL, which holds committed changes) aside, byte for byte. */
function copyAside(path: string, now: Date): string[] {
  const stamp = timestampForFile(now);
  const copies: string[] = [];
  for (const suffix of ['', '-wal']) {
    const source = `${path}${suffix}`;
    if (!existsSync(source)) continue;
    const target = join(path, '..', `${basename(DATABASE_FILE, '.sqlite')}.damaged-${stamp}.sqlite${suffix}`);
    copyFileSync(source, target);
    copies.push(basename(target));
  }
  return copies;
}

function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

function createFresh(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  configure(db);
  migrate(db);
  return db;
}

export type SalvageRow = Record<string, unknown>;

/**
 * Reads what can still be read from a damaged database, a batch of rows at a time; where a
 * batch fails, row by row, skipping the unreadable ones. Works on a scratch copy so the copy
 * set aside for support stays exactly as it was found.
 */
export function salvageRows(copyPath: string, onRow: (row: SalvageRow, refunds: SalvageRow[], shipments: SalvageRow[]) => boolean): { read: number; unreadable: number } {
  let source: DatabaseSync;
  try {
    source = new DatabaseSync(copyPath, { readOnly: true });
    // Lets SQLite read a file shorter than its header says (a truncated copy) instead of refusing it whole.
    source.exec('PRAGMA writable_schema = ON');
  } catch {
    return { read: 0, unreadable: 0 };
  }
  let read = 0;
  let unreadable = 0;
  const safeAll = (sql: string, ...params: Array<number>): SalvageRow[] | null => {
    try {
      return source.prepare(sql).all(...params) as SalvageRow[];
    } catch {
      return null;
    }
  };
  const extras = (id: number) => ({
    refunds: safeAll('SELECT at, amount_cents, reason, answer FROM refunds WHERE link_id = ? ORDER BY id', id) ?? [],
    shipments: safeAll('SELECT at, carrier, tracking_id, invoice_number FROM shipments WHERE link_id = ? ORDER BY id', id) ?? [],
  });
  const take = (row: SalvageRow) => {
    const { refunds, shipments } = extras(Number(row['id']));
    if (onRow(row, refunds, shipments)) read++;
    else unreadable++;
  };
  try {
    // The fast way: in row id order, a batch at a time.
    let after = Number.NEGATIVE_INFINITY;
    for (;;) {
      const batch = safeAll('SELECT * FROM links WHERE id > ? ORDER BY id LIMIT 500', after);
      if (batch === null) break;
      if (batch.length === 0) return { read, unreadable };
      for (const row of batch) take(row);
      after = Number(batch[batch.length - 1]?.['id']);
    }
    // A damaged page stopped the walk. Row ids are sparse (they start with the creation time), so
    // the rest are found through the indexes and the search table, which sit on other pages, and
    // read one by one.
    const ids = new Set<number>();
    for (const source_ of ['links INDEXED BY links_amount', 'links INDEXED BY links_status', 'links INDEXED BY links_updated', 'links INDEXED BY sqlite_autoindex_links_1']) {
      collectIds(source, `SELECT id FROM ${source_}`, ids);
    }
    collectIds(source, 'SELECT id FROM links_search_docsize', ids);
    for (const id of [...ids].filter((id) => id > after).sort((a, b) => a - b)) {
      const single = safeAll('SELECT * FROM links WHERE id = ?', id);
      if (single === null) unreadable++;
      else if (single[0]) take(single[0]);
    }
  } finally {
    source.close();
  }
  return { read, unreadable };
}

/** Adds the ids a query yields until it hits a damaged page. */
function collectIds(db: DatabaseSync, sql: string, into: Set<number>): void {
  try {
    for (const row of db.prepare(sql).iterate() as Iterable<{ id?: unknown }>) if (typeof row.id === 'number') into.add(row.id);
  } catch {
    // what was read before the damage is kept
  }
}

export interface OpenOptions {
  dir: string;
  now: () => Date;
  /** Carries one salvaged row into the fresh database; false when the row is not readable. */
  restoreRow: (db: DatabaseSync, row: SalvageRow, refunds: SalvageRow[], shipments: SalvageRow[]) => boolean;
}

/** Sets the damaged database aside and builds a fresh one from what it still holds. */
export function rebuildFromDamaged(path: string, options: OpenOptions, previous: DatabaseSync | null): { db: DatabaseSync; damage: DamageReport } {
  try {
    previous?.close();
  } catch {
    // already unusable: the files are what matters now
  }
  const setAsideFiles = copyAside(path, options.now());
  const scratch = join(path, '..', `links.salvage-${randomUUID()}.sqlite`);
  for (const suffix of ['', '-wal']) if (existsSync(`${path}${suffix}`)) copyFileSync(`${path}${suffix}`, `${scratch}${suffix}`);
  removeDatabaseFiles(path);
  const db = createFresh(path);
  let salvaged: { read: number; unreadable: number };
  db.exec('BEGIN IMMEDIATE');
  try {
    salvaged = salvageRows(scratch, (row, refunds, shipments) => options.restoreRow(db, row, refunds, shipments));
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  } finally {
    removeDatabaseFiles(scratch);
  }
  return { db, damage: { setAsideFiles, keptLinks: salvaged.read, lostLinks: salvaged.unreadable } };
}

export function openDatabase(options: OpenOptions): OpenedDatabase {
  mkdirSync(options.dir, { recursive: true });
  const path = join(options.dir, DATABASE_FILE);
  const marker = join(options.dir, MARKER_FILE);
  const existed = existsSync(path);
  const wasMissing = !existed && existsSync(marker);
  if (!existed) {
    // A WAL without its database cannot be replayed into a new one; keep it for support.
    const orphans = wasMissing ? copyAside(`${path}`, options.now()) : [];
    removeDatabaseFiles(path);
    const db = createFresh(path);
    writeFileSync(marker, `${options.now().toISOString()}\n`);
    return {
      db,
      path,
      wasMissing,
      damage: orphans.length > 0 ? { setAsideFiles: orphans, keptLinks: 0, lostLinks: 0 } : null,
      needsBackgroundCheck: false,
    };
  }
  if (!existsSync(marker)) writeFileSync(marker, `${options.now().toISOString()}\n`);
  const small = statSync(path).size <= CHECK_BEFORE_OPEN_BYTES;
  let db: DatabaseSync | null = null;
  try {
    db = new DatabaseSync(path);
    configure(db);
    if (small && !quickCheckOk(db)) throw new Error('database disk image is malformed (quick_check)');
    migrate(db);
    return { db, path, wasMissing: false, damage: null, needsBackgroundCheck: !small };
  } catch (error) {
    if (!isDatabaseCorruption(error)) {
      db?.close();
      throw error;
    }
    const rebuilt = rebuildFromDamaged(path, options, db);
    return { db: rebuilt.db, path, wasMissing: false, damage: rebuilt.damage, needsBackgroundCheck: false };
  }
}

/**
 * The background check of a large database, in a worker thread with its own read-only
 * connection (WAL lets it read while main writes): `PRAGMA quick_check`, then every row's
 * checksum. The code is inline so the bundler needs no second entry for it.
 */
const CHECK_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const zlib = require('node:zlib');
const dictionary = Buffer.from(workerData.dictionary);
let db;
try {
  db = new DatabaseSync(workerData.path, { readOnly: true });
  const rows = db.prepare('PRAGMA quick_check').all();
  const ok = rows.length === 1 && Object.values(rows[0])[0] === 'ok';
  if (!ok) { parentPort.postMessage({ ok: false, damagedIds: [] }); }
  else {
    const damagedIds = [];
    for (const row of db.prepare('SELECT id, record, checksum FROM links WHERE damaged = 0').iterate()) {
      try {
        const blob = Buffer.from(row.record);
        const body = blob.subarray(1);
        const json = blob[0] === 1 ? zlib.inflateRawSync(body, { dictionary }) : body;
        if (zlib.crc32(json) !== row.checksum) damagedIds.push(row.id);
      } catch { damagedIds.push(row.id); }
    }
    parentPort.postMessage({ ok: true, damagedIds });
  }
} catch (error) {
  parentPort.postMessage({ ok: false, damagedIds: [], error: String(error && error.message) });
} finally { try { db && db.close(); } catch {} }
`;

export interface BackgroundCheckResult {
  ok: boolean;
  damagedIds: number[];
}

export function checkInBackground(path: string, dictionary: Uint8Array): Promise<BackgroundCheckResult> {
  return new Promise((resolve) => {
    const worker = new Worker(CHECK_WORKER, { eval: true, workerData: { path, dictionary } });
    worker.unref();
    worker.once('message', (message: unknown) => {
      const value = message as { ok?: unknown; damagedIds?: unknown };
      const damagedIds = Array.isArray(value.damagedIds) ? value.damagedIds.filter((id): id is number => typeof id === 'number') : [];
      resolve({ ok: value.ok === true, damagedIds });
    });
    worker.once('error', () => resolve({ ok: true, damagedIds: [] }));
  });
}
