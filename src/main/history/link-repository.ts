import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { z } from 'zod';
import { AppFailure } from '../../shared/errors';
import { HistoryQuerySchema, type HistoryCurrencyTotal, type HistoryQuery, type HistoryQueryInput } from '../../shared/history-query';
import { LinkOriginSchema, LinkRecordSchema, type LinkRecord, type RefundEntry, type ShipmentEntry } from '../../shared/link';
import { linkOrigin } from '../desk-identity';
import { KNOWN_STATUSES, isPaidStatus } from '../../shared/status';
import {
  DamagedRowError,
  RECORD_DICTIONARY,
  StoredLinkSchema,
  decodeRecord,
  encodeRecord,
  linkColumns,
  toLinkRecord,
  toStoredLink,
  type StoredLink,
} from './stored-link';
import { DURABLE, REPLAYABLE, checkInBackground, isDatabaseCorruption, openDatabase, rebuildFromDamaged, type OpenOptions } from './database';
import { parseHistorySearch, searchText } from './search-text';
import { computeOverview } from '../overview/overview-figures';
import { writeBasketLines } from './basket-lines';
import type { Overview, OverviewQuery } from '../../shared/overview';

/** What was found damaged or missing; the history screen tells the merchant. */
export interface HistoryRecovery {
  /** Links that could not be read (a damaged page, or a record whose checksum failed). */
  lostLinks: number;
  /** Links carried over from a damaged database file, or null when no file had to be rebuilt. */
  keptLinks: number | null;
  /** Byte-exact copies of damaged files, kept in the history folder for support. */
  setAsideFiles: string[];
  /** The database had existed but was gone at start (deleted or moved); a new one was started. */
  databaseMissing: boolean;
}

export interface HistoryQueryResult {
  items: LinkRecord[];
  /** Size of the filtered set. */
  total: number;
  /** Sums over the filtered set, per currency; absent for a search with very many matches. */
  totals?: HistoryCurrencyTotal[];
}

/** The stored part of a record a change may set (the merchantRef is the key and never changes). */
export type LinkFields = Partial<Omit<StoredLink, 'merchantRef'>>;

/** What one change does to a link, applied in one transaction to the link as it is then. */
export interface LinkChange {
  set?: LinkFields;
  refund?: RefundEntry;
  shipment?: ShipmentEntry;
}

/**
 * Decides the change from the link as it is now. May await the API: changes of one link run one
 * after another, so a second refund sees the first one's row, never a stale copy. Returning null
 * changes nothing; throwing changes nothing and passes the error on.
 */
export type LinkChangeFn = (current: LinkRecord) => LinkChange | null | Promise<LinkChange | null>;

export interface LinkRepository {
  /** Records a new link (before its create request is sent); fails if the merchantRef exists. */
  insert(record: LinkRecord): Promise<LinkRecord>;
  /**
   * Records many links that are not in the history yet, in one transaction (a backfill page from
   * the account, a benchmark's fixture). Links already present are left alone: changing one goes
   * through {@link update}. Resolves with the merchantRefs of those added.
   */
  insertMany(records: readonly LinkRecord[]): Promise<string[]>;
  /**
   * The one write path for an existing link: serialised per link, applied in a transaction to the
   * row as it is then, so concurrent actions (refunds, the watcher, ship, cancel) lose nothing.
   * Resolves with the stored result (the same object as `current` when nothing changed).
   */
  update(merchantRef: string, change: LinkChangeFn): Promise<LinkRecord>;
  get(merchantRef: string): LinkRecord | undefined;
  getById(stxId: string): LinkRecord | undefined;
  /** Filtered, sorted, paged, with totals, all in SQL. */
  query(q: HistoryQueryInput): HistoryQueryResult;
  /** Links recorded before their create request whose answer never arrived. */
  unfinishedCreates(): LinkRecord[];
  /** Links waiting for payment (created, not final). */
  countWaiting(): number;
  /** Unpaid links older than the app-side expiry. */
  expired(expiryDays: number, now: Date): LinkRecord[];
  countExpired(expiryDays: number, now: Date): number;
  /** The Overview screen's figures for a creation-day range, added up in SQL (overview.ts). */
  overview(query: OverviewQuery): Overview;
  /** Damage found at open or since; can change after open (background check, rows read later). */
  readonly recovery: HistoryRecovery | null;
  /**
   * Rows kept aside because their checksum failed (to be fetched again from the account), with
   * the STX id from the row's typed column (readable when the record is not).
   */
  damagedLinks(): Array<{ merchantRef: string; stxId: string | null }>;
  /** Settles when the background check of a large database has finished. */
  readonly checked: Promise<void>;
  /** The account sync's saved state for an account (its cursors), as stored: parse it. */
  syncState(accountKey: string): unknown;
  saveSyncState(accountKey: string, state: unknown): void;
  /** Waits (bounded) for changes still running, then closes the database. */
  close(timeoutMs?: number): Promise<void>;
}

export interface OpenLinkRepositoryOptions {
  dir: string;
  /** This desk's id (desk-identity.ts): tells its own links from other desks'. */
  deskId: string;
  now?: () => Date;
  /** Told when damage is found after opening (background check, a row read later). */
  onRecoveryChanged?: (recovery: HistoryRecovery) => void;
  logError?: (message: string) => void;
}

const PAID_STATUSES = KNOWN_STATUSES.filter((status) => isPaidStatus(status));
/** The merchant's order: not yet a link, waiting, then paid, then the dead ends; unknown statuses last. */
const STATUS_ORDER = ['creating', 'create_failed', ...KNOWN_STATUSES];
const STATUS_RANK_SQL = `CASE l.history_status ${STATUS_ORDER.map((status, rank) => `WHEN '${status}' THEN ${rank}`).join(' ')} ELSE ${STATUS_ORDER.length} END`;
const SORT_SQL: Record<HistoryQuery['sort']['field'], string> = {
  createdAt: 'l.id',
  updatedAt: 'l.updated_at',
  amountCents: 'l.amount_cents',
  status: STATUS_RANK_SQL,
  reference: 'l.reference COLLATE NOCASE',
};

const LINK_COLUMNS = 'l.id, l.record, l.checksum, l.refunded_cents, l.has_shipment, l.origin';

/**
 * Sums of a search are added up row by row; beyond this many matches ("Müller" in a million
 * links) that would cost more than the page itself, so the page comes without them and says so.
 */
const TOTALS_FOR_SEARCHES_UP_TO = 5_000;
/** The background check of a large database waits this long after opening (see startBackgroundCheck). */
const BACKGROUND_CHECK_AFTER_MS = 5_000;
/** A searched word whose prefix stands for more terms than this stays a prefix query. */
const EXACT_TERMS_UP_TO = 16;

const RefundRowSchema = z.object({ at: z.number(), amount_cents: z.number(), reason: z.string().nullable(), answer: z.string() });
const ShipmentRowSchema = z.object({
  at: z.number(),
  carrier: z.string().nullable(),
  tracking_id: z.string().nullable(),
  invoice_number: z.string().nullable(),
});
const LinkRowSchema = z.object({
  id: z.number(), record: z.instanceof(Uint8Array), checksum: z.number(), refunded_cents: z.number(), has_shipment: z.number(), origin: LinkOriginSchema,
});
type LinkRow = z.infer<typeof LinkRowSchema>;
const CountRowSchema = z.object({ count: z.number() });
const TotalRowSchema = z.object({ currency: z.string(), count: z.number(), amount: z.number(), paid: z.number(), refunded: z.number() });
const DamagedRowSchema = z.object({ merchant_ref: z.string(), stx_id: z.string().nullable() });
const TermRowSchema = z.object({ term: z.string() });
const RefundIdsSchema = z.array(z.string()).catch([]);
/** Statements of one connection kept for reuse; beyond this many distinct ones they are dropped and prepared again. */
const PREPARED_UP_TO = 200;

function refundFromRow(row: unknown): RefundEntry {
  const parsed = RefundRowSchema.parse(row);
  const ids = RefundIdsSchema.parse(JSON.parse(parsed.answer));
  return { at: new Date(parsed.at).toISOString(), amountCents: parsed.amount_cents, ...(parsed.reason ? { reason: parsed.reason } : {}), refundTransactionIds: ids };
}

function shipmentFromRow(row: unknown): ShipmentEntry {
  const parsed = ShipmentRowSchema.parse(row);
  return {
    at: new Date(parsed.at).toISOString(),
    ...(parsed.carrier ? { carrier: parsed.carrier } : {}),
    ...(parsed.tracking_id ? { trackingId: parsed.tracking_id } : {}),
    ...(parsed.invoice_number ? { invoiceNumber: parsed.invoice_number } : {}),
  };
}

/** Local-time day bounds: [start of `from`, start of the day after `to`). */
function dayStartMs(day: string, addDays: number): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + addDays).getTime();
}

/**
 * A link's row id: its creation time × 1024 plus a sequence for links created in the same
 * millisecond (see schema.ts). Stays a safe JavaScript integer until the year 2248.
 */
const IDS_PER_MS = 1024;
const firstIdAt = (ms: number): number => ms * IDS_PER_MS;

const notFound = () => new AppFailure({ code: 'link.not_found', message: 'Link Desk has no payment link with this reference.' });
const closed = () => new AppFailure({ code: 'history.io', message: 'The payment link history is closed.' });

/** Statements of one database connection, each prepared when first used (a rebuilt database gets new ones). */
class Statements {
  private readonly prepared = new Map<string, StatementSync>();

  constructor(readonly db: DatabaseSync, readonly deskId: string) {}

  /** The statement for `text`, prepared once and kept for the next call with the same SQL. */
  sql(text: string): StatementSync {
    let statement = this.prepared.get(text);
    if (!statement) {
      if (this.prepared.size >= PREPARED_UP_TO) this.prepared.clear();
      this.prepared.set(text, (statement = this.db.prepare(text)));
    }
    return statement;
  }

  isPrepared(text: string): boolean {
    return this.prepared.has(text);
  }

  get byRef(): StatementSync {
    return this.sql(`SELECT ${LINK_COLUMNS} FROM links l WHERE l.merchant_ref = ? AND l.damaged = 0`);
  }
  get byStx(): StatementSync {
    return this.sql(`SELECT ${LINK_COLUMNS} FROM links l WHERE l.stx_id = ? AND l.damaged = 0 LIMIT 1`);
  }
  get insertLink(): StatementSync {
    return this.sql(`
      INSERT INTO links (id, merchant_ref, stx_id, history_status, amount_cents, currency, reference,
        payment_method, paid_with, is_final, is_paid, needs_shipping, created_at, updated_at, paid_at, refunded_cents,
        has_shipment, origin, desk_name, record, checksum)
      VALUES (:id, :merchant_ref, :stx_id, :history_status, :amount_cents, :currency, :reference,
        :payment_method, :paid_with, :is_final, :is_paid, :needs_shipping, :created_at, :updated_at, :paid_at, 0, 0, :origin, :desk_name, :record, :checksum)`);
  }
  get updateLink(): StatementSync {
    return this.sql(`
      UPDATE links SET stx_id = :stx_id, history_status = :history_status,
        amount_cents = :amount_cents, currency = :currency, reference = :reference, payment_method = :payment_method,
        paid_with = :paid_with, is_final = :is_final, is_paid = :is_paid, needs_shipping = :needs_shipping,
        created_at = :created_at, updated_at = :updated_at, paid_at = COALESCE(paid_at, :paid_at),
        refunded_cents = :refunded_cents, has_shipment = :has_shipment, origin = :origin, desk_name = :desk_name, record = :record, checksum = :checksum
      WHERE id = :id`);
  }
  get insertSearch(): StatementSync { return this.sql('INSERT INTO links_search (rowid, text) VALUES (?, ?)'); }
  get deleteSearch(): StatementSync { return this.sql('DELETE FROM links_search WHERE rowid = ?'); }
  get insertRefund(): StatementSync {
    return this.sql('INSERT INTO refunds (link_id, at, amount_cents, reason, answer) VALUES (?, ?, ?, ?, ?)');
  }
  get insertShipment(): StatementSync {
    return this.sql('INSERT INTO shipments (link_id, at, carrier, tracking_id, invoice_number) VALUES (?, ?, ?, ?, ?)');
  }
  get refunds(): StatementSync {
    return this.sql('SELECT at, amount_cents, reason, answer FROM refunds WHERE link_id = ? ORDER BY at, id');
  }
  get latestShipment(): StatementSync {
    return this.sql('SELECT at, carrier, tracking_id, invoice_number FROM shipments WHERE link_id = ? ORDER BY at DESC, id DESC LIMIT 1');
  }
  get markDamaged(): StatementSync { return this.sql('UPDATE links SET damaged = 1 WHERE id = ?'); }
  get damagedByRef(): StatementSync { return this.sql('SELECT id FROM links WHERE merchant_ref = ? AND damaged = 1'); }
  get deleteLink(): StatementSync { return this.sql('DELETE FROM links WHERE id = ?'); }
  get lastIdIn(): StatementSync { return this.sql('SELECT max(id) AS max FROM links WHERE id >= ? AND id < ?'); }
  get moveLink(): StatementSync { return this.sql('UPDATE links SET id = ? WHERE id = ?'); }

  /** The row id for a link created at `ms` (inside the caller's transaction). */
  newId(ms: number): number {
    const first = firstIdAt(ms);
    const last = (this.lastIdIn.get(first, first + IDS_PER_MS) as { max: number | null } | undefined)?.max ?? null;
    if (last === null) return first;
    if (last + 1 >= first + IDS_PER_MS) throw new AppFailure({ code: 'history.io', message: 'Too many links in one millisecond.' });
    return last + 1;
  }
}

class SqliteLinkRepository implements LinkRepository {
  private statements: Statements;
  private recoveryState: HistoryRecovery | null;
  private readonly chains = new Map<string, Promise<unknown>>();
  private isClosed = false;
  private cancelCheck = (): void => undefined;
  checked: Promise<void> = Promise.resolve();

  constructor(
    private db: DatabaseSync,
    private readonly path: string,
    recovery: HistoryRecovery | null,
    private readonly options: OpenLinkRepositoryOptions,
    private readonly now: () => Date,
  ) {
    this.statements = new Statements(db, options.deskId);
    this.recoveryState = recovery;
  }

  get recovery(): HistoryRecovery | null {
    return this.recoveryState;
  }

  private noteDamage(change: Partial<HistoryRecovery>): void {
    const current = this.recoveryState ?? { lostLinks: 0, keptLinks: null, setAsideFiles: [], databaseMissing: false };
    this.recoveryState = {
      lostLinks: current.lostLinks + (change.lostLinks ?? 0),
      keptLinks: change.keptLinks ?? current.keptLinks,
      setAsideFiles: [...current.setAsideFiles, ...(change.setAsideFiles ?? [])],
      databaseMissing: current.databaseMissing || (change.databaseMissing ?? false),
    };
    this.options.onRecoveryChanged?.(this.recoveryState);
  }

  /** Runs one read or write; a database found corrupt on the way is rebuilt and the work tried once more. */
  private guarded<T>(work: () => T): T {
    if (this.isClosed) throw closed();
    try {
      return work();
    } catch (error) {
      if (!isDatabaseCorruption(error)) throw error;
      this.rebuild();
      return work();
    }
  }

  private rebuild(): void {
    this.options.logError?.('history: the database is damaged; setting it aside and keeping what can be read');
    const rebuilt = rebuildFromDamaged(this.path, { dir: this.options.dir, now: this.now, restoreRow: rowRestorer(this.options.deskId) }, this.db);
    this.db = rebuilt.db;
    this.statements = new Statements(this.db, this.options.deskId);
    this.noteDamage(rebuilt.damage);
  }

  private count(text: string, ...params: SQLInputValue[]): number {
    return CountRowSchema.parse(this.statements.sql(text).get(...params)).count;
  }

  /** A row whose record fails its checksum or schema: kept aside (flagged, not deleted) and reported. */
  private keepAside(error: DamagedRowError): void {
    this.options.logError?.(`history: ${error.message}; the link is kept aside`);
    this.statements.markDamaged.run(error.rowId);
    this.noteDamage({ lostLinks: 1 });
  }

  private recordOf(row: LinkRow): LinkRecord {
    const stored = decodeRecord(row.id, row.record, row.checksum);
    const refunds = row.refunded_cents > 0 ? this.statements.refunds.all(row.id).map(refundFromRow) : [];
    const shipped = row.has_shipment ? shipmentFromRow(this.statements.latestShipment.get(row.id)) : null;
    return toLinkRecord(stored, refunds, shipped, row.origin);
  }

  /** Reads rows into records; a damaged row is kept aside and the read repeated without it. */
  private readRows(select: () => unknown[]): LinkRecord[] {
    for (;;) {
      const rows = select().map((row) => LinkRowSchema.parse(row));
      try {
        return rows.map((row) => this.recordOf(row));
      } catch (error) {
        if (!(error instanceof DamagedRowError)) throw error;
        this.keepAside(error);
      }
    }
  }

  private readOne(select: () => unknown): LinkRecord | undefined {
    return this.guarded(() => this.readRows(() => {
      const row = select();
      return row === undefined ? [] : [row];
    })[0]);
  }

  get(merchantRef: string): LinkRecord | undefined {
    return this.readOne(() => this.statements.byRef.get(merchantRef));
  }

  getById(stxId: string): LinkRecord | undefined {
    return this.readOne(() => this.statements.byStx.get(stxId));
  }

  private serialised<T>(merchantRef: string, task: () => Promise<T>): Promise<T> {
    if (this.isClosed) return Promise.reject(closed());
    const previous = this.chains.get(merchantRef) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.then(() => undefined, () => undefined);
    this.chains.set(merchantRef, tail);
    void tail.then(() => {
      if (this.chains.get(merchantRef) === tail) this.chains.delete(merchantRef);
    });
    return run;
  }

  /** One transaction; `durable` ones are fsynced at commit (see database.ts on durability). */
  private transaction<T>(work: () => T, durable = false): T {
    return this.guarded(() => {
      if (durable) this.db.exec(DURABLE);
      try {
        this.db.exec('BEGIN IMMEDIATE');
        try {
          const result = work();
          this.db.exec('COMMIT');
          return result;
        } catch (error) {
          if (this.db.isTransaction) this.db.exec('ROLLBACK');
          throw error;
        }
      } finally {
        if (durable) this.db.exec(REPLAYABLE);
      }
    });
  }

  insert(record: LinkRecord): Promise<LinkRecord> {
    const parsed = LinkRecordSchema.parse(record);
    return this.serialised(parsed.merchantRef, async () =>
      this.transaction(() => {
        if (this.statements.byRef.get(parsed.merchantRef) !== undefined) {
          throw new AppFailure({ code: 'internal', message: 'A payment link with this merchantRef is already in the history.' });
        }
        insertStored(this.statements, toStoredLink(parsed), parsed.refunds, parsed.shipped);
        return this.recordOf(LinkRowSchema.parse(this.statements.byRef.get(parsed.merchantRef)));
      }, true),
    );
  }

  async insertMany(records: readonly LinkRecord[]): Promise<string[]> {
    const parsed = records.map((record) => LinkRecordSchema.parse(record));
    return this.transaction(() => {
      const added: string[] = [];
      for (const record of parsed) {
        if (this.chains.has(record.merchantRef) || this.statements.byRef.get(record.merchantRef) !== undefined) continue;
        insertStored(this.statements, toStoredLink(record), record.refunds, record.shipped);
        added.push(record.merchantRef);
      }
      return added;
    });
  }

  update(merchantRef: string, change: LinkChangeFn): Promise<LinkRecord> {
    return this.serialised(merchantRef, async () => {
      const current = this.get(merchantRef);
      if (!current) throw notFound();
      const decided = await change(current);
      if (decided === null || (decided.set === undefined && decided.refund === undefined && decided.shipment === undefined)) return current;
      // Refunds and shipments are known only here (the account cannot replay them): fsynced.
      return this.transaction(() => this.applyChange(merchantRef, decided), decided.refund !== undefined || decided.shipment !== undefined);
    });
  }

  /** Inside the transaction: the row as it is now, plus the change; derived columns recomputed. */
  private applyChange(merchantRef: string, change: LinkChange): LinkRecord {
    const row = this.statements.byRef.get(merchantRef);
    if (row === undefined) throw notFound();
    const { id: oldId, record, checksum } = LinkRowSchema.parse(row);
    const before = decodeRecord(oldId, record, checksum);
    const next = StoredLinkSchema.parse({ ...before, ...change.set, merchantRef: before.merchantRef });
    let id = oldId;
    if (next.createdAt !== before.createdAt) {
      // The row id encodes the creation time; refunds and shipments follow by ON UPDATE CASCADE.
      id = this.statements.newId(Date.parse(next.createdAt));
      this.statements.moveLink.run(id, oldId);
      this.statements.deleteSearch.run(oldId);
      this.statements.insertSearch.run(id, searchText(before));
    }
    if (change.refund) {
      const refund = change.refund;
      this.statements.insertRefund.run(id, Date.parse(refund.at), refund.amountCents, refund.reason ?? null, JSON.stringify(refund.refundTransactionIds));
    }
    if (change.shipment) {
      const shipment = change.shipment;
      this.statements.insertShipment.run(id, Date.parse(shipment.at), shipment.carrier ?? null, shipment.trackingId ?? null, shipment.invoiceNumber ?? null);
    }
    const refunds = this.statements.refunds.all(id).map(refundFromRow);
    const refundedCents = refunds.reduce((sum, refund) => sum + refund.amountCents, 0);
    if (refundedCents > next.amountCents) {
      throw new AppFailure({ code: 'link.not_allowed', message: 'A link cannot be refunded for more than was paid.' });
    }
    const latest = this.statements.latestShipment.get(id);
    const shipped = latest === undefined ? null : shipmentFromRow(latest);
    const columns = linkColumns(next, shipped, linkOrigin(next.merchantRef, this.statements.deskId));
    const encoded = encodeRecord(next);
    const { merchant_ref: _key, search_text: _text, ...typed } = columns;
    this.statements.updateLink.run({
      ...typed,
      id,
      paid_at: columns.is_paid ? this.now().getTime() : null,
      refunded_cents: refundedCents,
      has_shipment: shipped ? 1 : 0,
      record: encoded.blob,
      checksum: encoded.checksum,
    } satisfies Record<string, SQLInputValue>);
    if (JSON.stringify(before.basket) !== JSON.stringify(next.basket)) writeBasketLines(this.db, id, next.basket);
    if (searchText(before) !== columns.search_text) {
      this.statements.deleteSearch.run(id);
      this.statements.insertSearch.run(id, columns.search_text);
    }
    return toLinkRecord(next, refunds, shipped, columns.origin);
  }

  query(input: HistoryQueryInput): HistoryQueryResult {
    const q = HistoryQuerySchema.parse(input);
    const filters: string[] = ['l.damaged = 0'];
    const params: SQLInputValue[] = [];
    const statuses = (q.statuses ?? []).filter((status) => status !== 'needs_shipping');
    const wantsShipping = q.statuses?.includes('needs_shipping') ?? false;
    if (statuses.length > 0 || wantsShipping) {
      const alternatives: string[] = [];
      if (statuses.length > 0) {
        alternatives.push(`l.history_status IN (${statuses.map(() => '?').join(', ')})`);
        params.push(...statuses);
      }
      if (wantsShipping) alternatives.push('l.needs_shipping = 1');
      filters.push(`(${alternatives.join(' OR ')})`);
    }
    // Day ranges are row id ranges: the id starts with the creation time.
    if (q.from !== undefined) {
      filters.push('l.id >= ?');
      params.push(firstIdAt(dayStartMs(q.from, 0)));
    }
    if (q.to !== undefined) {
      filters.push('l.id < ?');
      params.push(firstIdAt(dayStartMs(q.to, 1)));
    }
    const onlySearch = filters.length === 1;
    const direction = q.sort.direction === 'asc' ? 'ASC' : 'DESC';
    return this.guarded(() => {
      const search = q.search?.trim() ? parseHistorySearch(q.search, (token) => this.termsStartingWith(token)) : null;
      if (search === null) {
        const where = filters.join(' AND ');
        const items = this.page(`FROM links l WHERE ${where}`, params, q, direction);
        const totals = wantsShipping ? this.totalsByRow(`FROM links l WHERE ${where}`, params) : this.totalsByDay(q, statuses);
        return { items, total: countOf(totals), totals };
      }
      if (search.match !== null && search.amountCents.length === 0) {
        // Text only: the full-text index drives, walked in row id (= creation) order.
        const from = `FROM links_search s JOIN links l ON l.id = s.rowid WHERE links_search MATCH ? AND ${filters.join(' AND ')}`;
        const searchParams = [search.match, ...params];
        const items = this.page(from, searchParams, q, direction, q.sort.field === 'createdAt' ? `s.rowid ${direction}` : undefined);
        const total = onlySearch
          ? this.count('SELECT COUNT(*) AS count FROM links_search WHERE links_search MATCH ?', search.match)
          : this.count(`SELECT COUNT(*) AS count ${from}`, ...searchParams);
        return { items, total, ...(total <= TOTALS_FOR_SEARCHES_UP_TO ? { totals: this.totalsByRow(from, searchParams) } : {}) };
      }
      const alternatives: string[] = [];
      const searchParams: SQLInputValue[] = [];
      if (search.match !== null) {
        alternatives.push('l.id IN (SELECT rowid FROM links_search WHERE links_search MATCH ?)');
        searchParams.push(search.match);
      }
      if (search.amountCents.length > 0) {
        alternatives.push(`l.amount_cents IN (${search.amountCents.map(() => '?').join(', ')})`);
        searchParams.push(...search.amountCents);
      }
      const from = `FROM links l WHERE ${[...filters, alternatives.length > 0 ? `(${alternatives.join(' OR ')})` : '0'].join(' AND ')}`;
      const allParams = [...params, ...searchParams];
      const items = this.page(from, allParams, q, direction);
      const totals = this.totalsByRow(from, allParams);
      return { items, total: countOf(totals), totals };
    });
  }

  /** The search index's terms that start with `token`, if there are at most a few (see search-text.ts). */
  private termsStartingWith(token: string): string[] | null {
    const lookup = `SELECT term FROM temp.links_terms WHERE term >= ? AND term < ? LIMIT ${EXACT_TERMS_UP_TO + 1}`;
    // fts5vocab lists the index's terms: a temp table, so it needs no migration (one per connection).
    if (!this.statements.isPrepared(lookup)) this.db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.links_terms USING fts5vocab(main, 'links_search', 'row')");
    // The first string after every one that starts with `token` (which is [0-9a-z]+).
    const after = token.slice(0, -1) + String.fromCharCode(token.charCodeAt(token.length - 1) + 1);
    const terms = this.statements.sql(lookup).all(token, after).map((row) => TermRowSchema.parse(row).term);
    return terms.length > EXACT_TERMS_UP_TO ? null : terms;
  }

  private page(from: string, params: SQLInputValue[], q: HistoryQuery, direction: string, order?: string): LinkRecord[] {
    const orderBy = order ?? (q.sort.field === 'createdAt' ? `l.id ${direction}` : `${SORT_SQL[q.sort.field]} ${direction}, l.id ${direction}`);
    return this.readRows(() => this.statements.sql(`SELECT ${LINK_COLUMNS} ${from} ORDER BY ${orderBy} LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset));
  }

  /** Totals from the per-day table: a few thousand rows at most, whatever the history's size. */
  private totalsByDay(q: HistoryQuery, statuses: string[]): HistoryCurrencyTotal[] {
    const where: string[] = ['1'];
    const params: SQLInputValue[] = [];
    if (q.from !== undefined) {
      where.push('day >= ?');
      params.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('day <= ?');
      params.push(q.to);
    }
    if (statuses.length > 0) {
      where.push(`history_status IN (${statuses.map(() => '?').join(', ')})`);
      params.push(...statuses);
    }
    const paid = PAID_STATUSES.map((status) => `'${status}'`).join(', ');
    return this.statements.sql(`
        SELECT currency, SUM(links) AS count, SUM(amount_cents) AS amount,
          SUM(CASE WHEN history_status IN (${paid}) THEN amount_cents ELSE 0 END) AS paid, SUM(refunded_cents) AS refunded
        FROM link_days WHERE ${where.join(' AND ')} GROUP BY currency HAVING SUM(links) > 0 ORDER BY currency`)
      .all(...params).map(totalFromRow);
  }

  private totalsByRow(from: string, params: SQLInputValue[]): HistoryCurrencyTotal[] {
    return this.statements.sql(`
        SELECT l.currency AS currency, COUNT(*) AS count, SUM(l.amount_cents) AS amount,
          SUM(CASE WHEN l.is_paid = 1 THEN l.amount_cents ELSE 0 END) AS paid, SUM(l.refunded_cents) AS refunded
        ${from} GROUP BY l.currency ORDER BY l.currency`)
      .all(...params).map(totalFromRow);
  }

  unfinishedCreates(): LinkRecord[] {
    return this.guarded(() =>
      this.readRows(() => this.statements.sql(`SELECT ${LINK_COLUMNS} FROM links l WHERE l.is_final = 0 AND l.history_status = 'creating' AND l.damaged = 0 ORDER BY l.id`).all()),
    );
  }

  countWaiting(): number {
    return this.guarded(() => {
      return this.count(`SELECT COUNT(*) AS count FROM links WHERE is_final = 0 AND history_status NOT IN ('creating', 'create_failed') AND damaged = 0`);
    });
  }

  /** Mirrors `isExpired` in shared/link.ts: unpaid (created or approved) and older than the expiry. */
  private expiredWhere(expiryDays: number, now: Date): { sql: string; before: number } | null {
    if (expiryDays <= 0) return null;
    return { sql: `is_final = 0 AND history_status IN ('created', 'approved') AND created_at < ? AND damaged = 0`, before: now.getTime() - expiryDays * 86_400_000 };
  }

  expired(expiryDays: number, now: Date): LinkRecord[] {
    const filter = this.expiredWhere(expiryDays, now);
    if (!filter) return [];
    return this.guarded(() => this.readRows(() => this.statements.sql(`SELECT ${LINK_COLUMNS} FROM links l WHERE ${filter.sql} ORDER BY id`).all(filter.before)));
  }

  countExpired(expiryDays: number, now: Date): number {
    const filter = this.expiredWhere(expiryDays, now);
    if (!filter) return 0;
    return this.guarded(() => this.count(`SELECT COUNT(*) AS count FROM links WHERE ${filter.sql}`, filter.before));
  }

  syncState(accountKey: string): unknown {
    return this.guarded(() => {
      const row = this.statements.sql('SELECT state FROM sync_state WHERE account_key = ?').get(accountKey) as { state?: unknown } | undefined;
      if (typeof row?.state !== 'string') return null;
      try {
        return JSON.parse(row.state) as unknown;
      } catch {
        return null; // damaged: the sync starts over, which only costs requests
      }
    });
  }

  saveSyncState(accountKey: string, state: unknown): void {
    this.guarded(() =>
      this.statements.sql('INSERT INTO sync_state (account_key, state) VALUES (?, ?) ON CONFLICT (account_key) DO UPDATE SET state = excluded.state').run(accountKey, JSON.stringify(state)),
    );
  }

  damagedLinks(): Array<{ merchantRef: string; stxId: string | null }> {
    return this.guarded(() =>
      this.statements.sql('SELECT merchant_ref, stx_id FROM links WHERE damaged = 1').all().map((row) => {
        const parsed = DamagedRowSchema.parse(row);
        return { merchantRef: parsed.merchant_ref, stxId: parsed.stx_id };
      }),
    );
  }

  overview(query: OverviewQuery): Overview {
    return this.guarded(() => computeOverview(this.db, query));
  }

  /**
   * Runs the background check of a large database a moment after opening and acts on what it
   * finds. It keeps a processor busy for seconds (every page, every row's checksum: about 20 s of
   * CPU at 1,000,000 links), so it leaves the window's first page alone; rows read before it has
   * run are checked one by one as they are read.
   */
  startBackgroundCheck(): void {
    this.checked = new Promise<void>((settled) => {
      const timer = setTimeout(() => {
        checkInBackground(this.path, RECORD_DICTIONARY).then((result) => {
          if (this.isClosed) return;
          if (!result.ok) {
            this.rebuild();
            return;
          }
          for (const id of result.damagedIds) this.keepAside(new DamagedRowError(id, 'checksum mismatch (background check)'));
        }).catch((error: unknown) => this.options.logError?.(`history: background check failed: ${String(error)}`)).finally(settled);
      }, BACKGROUND_CHECK_AFTER_MS);
      this.cancelCheck = () => {
        clearTimeout(timer);
        settled();
      };
    });
  }

  async close(timeoutMs = 3_000): Promise<void> {
    if (this.isClosed) return;
    this.cancelCheck();
    const pending = Promise.all([...this.chains.values()]);
    await Promise.race([pending, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    this.isClosed = true;
    this.db.close();
  }
}

const countOf = (totals: HistoryCurrencyTotal[]): number => totals.reduce((sum, total) => sum + total.count, 0);

function totalFromRow(row: unknown): HistoryCurrencyTotal {
  const parsed = TotalRowSchema.parse(row);
  return { currency: parsed.currency, count: parsed.count, amountCents: parsed.amount, paidCents: parsed.paid, refundedCents: parsed.refunded };
}

/** Writes a new link row with its refunds and shipment (inside the caller's transaction). */
function insertStored(statements: Statements, stored: StoredLink, refunds: RefundEntry[], shipped: ShipmentEntry | null): number {
  // A row kept aside for this link (checksum failed) is replaced by the good version now coming in.
  const damaged = statements.damagedByRef.get(stored.merchantRef) as { id?: unknown } | undefined;
  if (typeof damaged?.id === 'number') {
    statements.deleteSearch.run(damaged.id);
    statements.deleteLink.run(damaged.id);
  }
  const columns = linkColumns(stored, shipped, linkOrigin(stored.merchantRef, statements.deskId));
  const encoded = encodeRecord(stored);
  const id = statements.newId(columns.created_at);
  statements.insertLink.run({
    id,
    merchant_ref: columns.merchant_ref,
    stx_id: columns.stx_id,
    history_status: columns.history_status,
    amount_cents: columns.amount_cents,
    currency: columns.currency,
    reference: columns.reference,
    payment_method: columns.payment_method,
    paid_with: columns.paid_with,
    is_final: columns.is_final,
    is_paid: columns.is_paid,
    needs_shipping: columns.needs_shipping,
    created_at: columns.created_at,
    updated_at: columns.updated_at,
    // Arriving paid (from the account): its last change is when it became paid, as near as the list tells.
    paid_at: columns.is_paid ? columns.updated_at : null,
    origin: columns.origin,
    desk_name: columns.desk_name,
    record: encoded.blob,
    checksum: encoded.checksum,
  });
  statements.insertSearch.run(id, columns.search_text);
  if (stored.basket) writeBasketLines(statements.db, id, stored.basket);
  for (const refund of refunds) {
    statements.insertRefund.run(id, Date.parse(refund.at), refund.amountCents, refund.reason ?? null, JSON.stringify(refund.refundTransactionIds));
  }
  if (shipped) statements.insertShipment.run(id, Date.parse(shipped.at), shipped.carrier ?? null, shipped.trackingId ?? null, shipped.invoiceNumber ?? null);
  if (refunds.length > 0 || shipped) {
    const refunded = refunds.reduce((sum, refund) => sum + refund.amountCents, 0);
    statements.db.prepare('UPDATE links SET refunded_cents = ?, has_shipment = ? WHERE id = ?').run(refunded, shipped ? 1 : 0, id);
  }
  return id;
}

/** Carries one row of a damaged database into the fresh one, if its record still checks out. */
function rowRestorer(deskId: string): OpenOptions['restoreRow'] {
  let statements: Statements | null = null;
  return (db, row, refundRows, shipmentRows) => {
    try {
      const stored = decodeRecord(Number(row['id']), row['record'], row['checksum']);
      if (statements?.db !== db) statements = new Statements(db, deskId);
      const shipped = shipmentRows.length > 0 ? shipmentFromRow(shipmentRows[shipmentRows.length - 1]) : null;
      insertStored(statements, stored, refundRows.map(refundFromRow), shipped);
      return true;
    } catch {
      return false;
    }
  };
}

export function openLinkRepository(options: OpenLinkRepositoryOptions): LinkRepository {
  const now = options.now ?? (() => new Date());
  const opened = openDatabase({ dir: options.dir, now, restoreRow: rowRestorer(options.deskId) });
  const { damage, wasMissing } = opened;
  const recovery: HistoryRecovery | null = damage || wasMissing
    ? { lostLinks: damage?.lostLinks ?? 0, keptLinks: damage?.keptLinks ?? null, setAsideFiles: damage?.setAsideFiles ?? [], databaseMissing: wasMissing }
    : null;
  const repository = new SqliteLinkRepository(opened.db, opened.path, recovery, options, now);
  if (opened.needsBackgroundCheck) repository.startBackgroundCheck();
  return repository;
}
