import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { RecordedBasketLine } from '../../shared/basket';

const statementsOf = new WeakMap<DatabaseSync, { remove: StatementSync; add: StatementSync }>();

/**
 * Rewrites a link's `link_lines` rows from its record's basket (inside the caller's transaction):
 * the record is the truth, the rows only let the overview add up VAT and items in SQL.
 */
export function writeBasketLines(db: DatabaseSync, linkId: number, basket: readonly RecordedBasketLine[] | undefined): void {
  let statements = statementsOf.get(db);
  if (!statements) {
    statements = {
      remove: db.prepare('DELETE FROM link_lines WHERE link_id = ?'),
      add: db.prepare('INSERT INTO link_lines (link_id, position, name, quantity, unit_cents, vat_rate) VALUES (?, ?, ?, ?, ?, ?)'),
    };
    statementsOf.set(db, statements);
  }
  statements.remove.run(linkId);
  basket?.forEach((line, position) => statements.add.run(linkId, position, line.name, line.quantity, line.unitPriceCents, line.vatRate));
}
