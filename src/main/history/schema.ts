import type { DatabaseSync } from 'node:sqlite';

/**
 * The history database's schema, as migrations applied in order. `PRAGMA user_version` holds the
 * number of migrations applied; each runs in its own transaction with the version bump, so a
 * crash leaves the database at one version or the next, never between. A migration, once
 * shipped, never changes: a new one is appended (each is tested from the version before it).
 */
export const MIGRATIONS: ReadonlyArray<(db: DatabaseSync) => void> = [
  // 1: links, refunds, shipments, full-text search, per-day totals.
  (db) => {
    db.exec(`
      -- id = creation time in ms × 1024 + a sequence: rowid order is creation order, whichever
      -- order links arrive in (a backfill brings old ones late). Sorting by creation, day ranges
      -- and full-text matches walked newest first all use the rowid, with no index of their own.
      CREATE TABLE links (
        id INTEGER PRIMARY KEY,
        merchant_ref TEXT NOT NULL UNIQUE,
        stx_id TEXT,
        history_status TEXT NOT NULL,  -- creating, create_failed, or the API status (the account key and the rest: in the record)
        amount_cents INTEGER NOT NULL,
        currency TEXT NOT NULL,
        reference TEXT NOT NULL,
        payment_method TEXT NOT NULL,  -- what the link was restricted to ('any' or one method)
        paid_with TEXT,
        is_final INTEGER NOT NULL,
        is_paid INTEGER NOT NULL,
        needs_shipping INTEGER NOT NULL,
        created_at INTEGER NOT NULL,   -- ms since the epoch
        updated_at INTEGER NOT NULL,
        paid_at INTEGER,               -- when this desk first saw it paid
        refunded_cents INTEGER NOT NULL DEFAULT 0,  -- sum of its refunds rows, kept in the same transaction
        has_shipment INTEGER NOT NULL DEFAULT 0,
        damaged INTEGER NOT NULL DEFAULT 0,         -- checksum failed: kept aside, not listed
        record BLOB NOT NULL,
        checksum INTEGER NOT NULL
      );
      CREATE INDEX links_updated ON links (updated_at);
      CREATE INDEX links_status ON links (history_status);
      CREATE INDEX links_status_amount ON links (history_status, amount_cents);
      CREATE INDEX links_amount ON links (amount_cents);
      CREATE INDEX links_stx ON links (stx_id) WHERE stx_id IS NOT NULL;
      CREATE INDEX links_open ON links (is_final) WHERE is_final = 0;

      CREATE TABLE refunds (
        id INTEGER PRIMARY KEY,
        link_id INTEGER NOT NULL REFERENCES links (id) ON DELETE CASCADE ON UPDATE CASCADE,
        at INTEGER NOT NULL,
        amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
        reason TEXT,
        answer TEXT NOT NULL           -- the API's answer: JSON list of the refund transaction ids
      );
      CREATE INDEX refunds_link ON refunds (link_id);

      CREATE TABLE shipments (
        id INTEGER PRIMARY KEY,
        link_id INTEGER NOT NULL REFERENCES links (id) ON DELETE CASCADE ON UPDATE CASCADE,
        at INTEGER NOT NULL,
        carrier TEXT,
        tracking_id TEXT,
        invoice_number TEXT
      );
      CREATE INDEX shipments_link ON shipments (link_id);

      -- Contentless: the text lives in the record already; rows are replaced by rowid (= links.id).
      CREATE VIRTUAL TABLE links_search USING fts5 (
        text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
      );

      -- Totals per local creation day, status and currency, kept by triggers in the same
      -- transaction as the change: the history's totals and the overview read these few rows
      -- instead of summing a million links.
      CREATE TABLE link_days (
        day TEXT NOT NULL,
        history_status TEXT NOT NULL,
        currency TEXT NOT NULL,
        links INTEGER NOT NULL,
        amount_cents INTEGER NOT NULL,
        refunded_cents INTEGER NOT NULL,
        PRIMARY KEY (day, history_status, currency)
      ) WITHOUT ROWID;

      CREATE TRIGGER link_days_insert AFTER INSERT ON links WHEN NEW.damaged = 0 BEGIN
        INSERT INTO link_days VALUES (date(NEW.created_at / 1000, 'unixepoch', 'localtime'), NEW.history_status, NEW.currency, 1, NEW.amount_cents, NEW.refunded_cents)
        ON CONFLICT DO UPDATE SET links = links + 1, amount_cents = amount_cents + excluded.amount_cents, refunded_cents = refunded_cents + excluded.refunded_cents;
      END;
      CREATE TRIGGER link_days_delete AFTER DELETE ON links WHEN OLD.damaged = 0 BEGIN
        UPDATE link_days SET links = links - 1, amount_cents = amount_cents - OLD.amount_cents, refunded_cents = refunded_cents - OLD.refunded_cents
        WHERE day = date(OLD.created_at / 1000, 'unixepoch', 'localtime') AND history_status = OLD.history_status AND currency = OLD.currency;
      END;
      CREATE TRIGGER link_days_update AFTER UPDATE OF history_status, currency, amount_cents, refunded_cents, created_at, damaged ON links BEGIN
        UPDATE link_days SET links = links - 1, amount_cents = amount_cents - OLD.amount_cents, refunded_cents = refunded_cents - OLD.refunded_cents
        WHERE OLD.damaged = 0 AND day = date(OLD.created_at / 1000, 'unixepoch', 'localtime') AND history_status = OLD.history_status AND currency = OLD.currency;
        INSERT INTO link_days SELECT date(NEW.created_at / 1000, 'unixepoch', 'localtime'), NEW.history_status, NEW.currency, 1, NEW.amount_cents, NEW.refunded_cents
        WHERE NEW.damaged = 0
        ON CONFLICT DO UPDATE SET links = links + 1, amount_cents = amount_cents + excluded.amount_cents, refunded_cents = refunded_cents + excluded.refunded_cents;
      END;
    `);
  },
  // 2: where a link comes from (account sync: other desks, secuOffice) and the sync's own state.
  (db) => {
    db.exec(`
      ALTER TABLE links ADD COLUMN origin TEXT NOT NULL DEFAULT 'this-desk';  -- this-desk, other-desk, elsewhere
      ALTER TABLE links ADD COLUMN desk_name TEXT;                            -- Settings' desk name where a Link Desk made it
      CREATE TABLE sync_state (
        account_key TEXT PRIMARY KEY,
        state TEXT NOT NULL            -- JSON: cursors of the changed-since query and the backfill
      );
    `);
  },
  // 3: what was sold (basket lines), so the overview adds up VAT and items in SQL. The record keeps
  // the basket too; these rows are derived from it in the same transaction.
  (db) => {
    db.exec(`
      CREATE TABLE link_lines (
        link_id INTEGER NOT NULL REFERENCES links (id) ON DELETE CASCADE ON UPDATE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        unit_cents INTEGER NOT NULL,   -- gross, VAT included
        vat_rate REAL NOT NULL,        -- percent
        PRIMARY KEY (link_id, position)
      ) WITHOUT ROWID;
    `);
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function userVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version?: unknown } | undefined;
  return typeof row?.user_version === 'number' ? row.user_version : 0;
}

/** Brings the database up to {@link SCHEMA_VERSION}; refuses a database from a newer app version. */
export function migrate(db: DatabaseSync, upTo: number = SCHEMA_VERSION): void {
  const current = userVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new Error(`The history database was written by a newer Link Desk (schema ${current}, this version knows ${SCHEMA_VERSION}).`);
  }
  for (let version = current; version < upTo; version++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      (MIGRATIONS[version] as (db: DatabaseSync) => void)(db);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
