import { DatabaseSync } from 'node:sqlite';
import { mkdtemp, open as openFile, readdir, readFile, rm, stat, truncate, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { openLinkRepository, type LinkRepository } from '../../src/main/history';
import { RECORD_DICTIONARY } from '../../src/main/history/stored-link';
import { MIGRATIONS, SCHEMA_VERSION, migrate, userVersion } from '../../src/main/history/schema';
import { makeLinkRecord } from '../fixtures/history-records';

const dirs: string[] = [];
const repositories: LinkRepository[] = [];
afterEach(async () => {
  for (const repository of repositories.splice(0)) await repository.close().catch(() => undefined);
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function historyWith(count: number): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'history-damage-'));
  dirs.push(dir);
  const history = openLinkRepository({ deskId: 'de5c0001', dir });
  for (let i = 0; i < count; i++) {
    await history.insert(makeLinkRecord({ merchantRef: `LD-${i}`, amountCents: 100 + i, reference: `Order ${i} ${'x'.repeat(i % 200)}`, customer: { surname: `Kunde${i}` } }));
  }
  await history.close();
  // Fold the WAL into the database file, so the damage below hits the file the links are in.
  const db = new DatabaseSync(join(dir, 'links.sqlite'));
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
  return { dir, file: join(dir, 'links.sqlite') };
}

function reopen(dir: string): LinkRepository {
  const repository = openLinkRepository({ deskId: 'de5c0001', dir });
  repositories.push(repository);
  return repository;
}

async function asideFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.includes('.damaged-'));
}

describe('a damaged history database', () => {
  it('reports nothing after a normal restart', async () => {
    const { dir } = await historyWith(20);
    const history = reopen(dir);
    expect(history.recovery).toBeNull();
    expect(history.query({}).total).toBe(20);
  });

  it('truncated: the original is set aside byte for byte, the readable links are kept, the merchant is told', async () => {
    const { dir, file } = await historyWith(400);
    const size = (await stat(file)).size;
    await truncate(file, Math.floor(size * 0.6));
    const truncatedBytes = await readFile(file);
    const history = reopen(dir);
    const recovery = history.recovery!;
    expect(recovery).not.toBeNull();
    expect(recovery.setAsideFiles).toHaveLength(1);
    expect(await readFile(join(dir, recovery.setAsideFiles[0]!))).toEqual(truncatedBytes);
    const kept = history.query({}).total;
    expect(recovery.keptLinks).toBe(kept);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(400);
    // What was kept is intact, and the history works on.
    const first = history.query({ sort: { field: 'createdAt', direction: 'asc' }, limit: 500 }).items;
    for (const link of first) expect(link.amountCents).toBe(100 + Number(link.merchantRef.slice(3)));
    await history.insert(makeLinkRecord({ merchantRef: 'LD-new' }));
    expect(history.get('LD-new')).toBeDefined();
  });

  it('page garbage in the middle: the links on the other pages are kept', async () => {
    const { dir, file } = await historyWith(400);
    // The pages that hold the rows of links 200–209 (their merchantRefs are stored as plain text),
    // so the garbage hits link rows whatever else the file's layout puts in the middle.
    const bytes = await readFile(file);
    const pages = new Set<number>();
    for (let i = 200; i < 210; i++) {
      for (let at = bytes.indexOf(`LD-${i}`); at >= 0; at = bytes.indexOf(`LD-${i}`, at + 1)) pages.add(Math.floor(at / 4096));
    }
    expect(pages.size).toBeGreaterThan(0);
    const handle = await openFile(file, 'r+');
    const garbage = Buffer.alloc(4096, 0xa5);
    for (const page of pages) await handle.write(garbage, 0, garbage.length, page * 4096);
    await handle.close();
    const history = reopen(dir);
    expect(history.recovery?.setAsideFiles).toHaveLength(1);
    const kept = history.query({}).total;
    expect(kept).toBeGreaterThan(200);
    expect(kept).toBeLessThan(400);
    expect(history.recovery?.keptLinks).toBe(kept);
  });

  it('header garbage: nothing readable, set aside, told that nothing could be kept', async () => {
    const { dir, file } = await historyWith(50);
    const handle = await openFile(file, 'r+');
    await handle.write(Buffer.alloc(100, 0x42), 0, 100, 0);
    await handle.close();
    const history = reopen(dir);
    expect(history.recovery).toMatchObject({ keptLinks: 0 });
    expect(await asideFiles(dir)).toHaveLength(1);
    expect(history.query({}).total).toBe(0);
  });

  it('file deleted: a new history starts, and the merchant is told that the old one is missing', async () => {
    const { dir, file } = await historyWith(10);
    await unlink(file);
    const history = reopen(dir);
    expect(history.recovery).toMatchObject({ databaseMissing: true });
    expect(history.query({}).total).toBe(0);
    await history.close();
    // Only the first start after the loss reports it.
    expect(reopen(dir).recovery).toBeNull();
  });

  it('a byte flipped inside one record (an amount 101 → 100) is caught by its checksum and kept aside', async () => {
    const { dir, file } = await historyWith(5);
    const db = new DatabaseSync(file);
    const row = db.prepare("SELECT id, record FROM links WHERE merchant_ref = 'LD-1'").get() as { id: number; record: Uint8Array };
    const json = inflateRawSync(Buffer.from(row.record).subarray(1), { dictionary: RECORD_DICTIONARY }).toString();
    expect(json).toContain('"amountCents":101');
    const forged = Buffer.concat([Buffer.from([1]), deflateRawSync(Buffer.from(json.replace('"amountCents":101', '"amountCents":100')), { dictionary: RECORD_DICTIONARY })]);
    db.prepare('UPDATE links SET record = ? WHERE id = ?').run(forged, row.id);
    db.close();

    const history = reopen(dir);
    expect(history.get('LD-1')).toBeUndefined();
    expect(history.recovery).toMatchObject({ lostLinks: 1 });
    expect(history.damagedLinks().map((link) => link.merchantRef)).toEqual(['LD-1']);
    expect(history.query({}).items.map((link) => link.merchantRef)).not.toContain('LD-1');
    expect(history.query({}).total).toBe(4);
  });
});

describe('history schema migrations', () => {
  it('brings an empty database to the current version, one migration at a time, and keeps data across versions', async () => {
    const db = new DatabaseSync(':memory:');
    expect(userVersion(db)).toBe(0);
    for (let version = 0; version < SCHEMA_VERSION; version++) {
      migrate(db, version + 1);
      expect(userVersion(db)).toBe(version + 1);
    }
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['links', 'refunds', 'shipments', 'links_search', 'link_days']));
    migrate(db); // already current: nothing happens
    expect(userVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it('2 from 1: links keep their rows and read as made at this desk; the sync state table appears', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'history-migrate-'));
    dirs.push(dir);
    const file = join(dir, 'links.sqlite');
    const old = new DatabaseSync(file);
    migrate(old, 1);
    old.close();
    // A link written today, then the database taken back to how schema 1 left it.
    const history1 = openLinkRepository({ deskId: 'de5c0001', dir });
    await history1.insert(makeLinkRecord({ merchantRef: 'LD-v1', amountCents: 4711 }));
    await history1.close();
    const db = new DatabaseSync(file);
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    // Take it back to version 1 by hand, as it was before migrations 2 and 3 ran.
    db.exec('DROP TABLE link_lines; DROP TABLE sync_state; ALTER TABLE links DROP COLUMN origin; ALTER TABLE links DROP COLUMN desk_name; PRAGMA user_version = 1;');
    migrate(db, 2);
    expect(userVersion(db)).toBe(2);
    expect(db.prepare("SELECT origin FROM links WHERE merchant_ref = 'LD-v1'").get()).toEqual({ origin: 'this-desk' });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'sync_state'").get()).toBeDefined();
    db.close();
    const reopened = reopen(dir);
    expect(reopened.get('LD-v1')).toMatchObject({ amountCents: 4711, origin: 'this-desk' });
  });

  it('3 from 2: links keep their rows; a basket written afterwards gets its lines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'history-migrate-'));
    dirs.push(dir);
    const history2 = openLinkRepository({ deskId: 'de5c0001', dir });
    await history2.insert(makeLinkRecord({ merchantRef: 'LD-v2', amountCents: 1250 }));
    await history2.close();
    const db = new DatabaseSync(join(dir, 'links.sqlite'));
    db.exec('DROP TABLE link_lines; PRAGMA user_version = 2;');
    migrate(db, 3);
    expect(userVersion(db)).toBe(3);
    expect(db.prepare('SELECT count(*) AS n FROM link_lines').get()).toEqual({ n: 0 });
    db.close();
    const reopened = reopen(dir);
    expect(reopened.get('LD-v2')).toMatchObject({ amountCents: 1250 });
    const basket = [
      { name: 'Kaffee', quantity: 2, unitPriceCents: 350, vatRate: 19 },
      { name: 'Kuchen', quantity: 1, unitPriceCents: 550, vatRate: 7 },
    ];
    await reopened.update('LD-v2', () => ({ set: { basket } }));
    await reopened.close();
    const check = new DatabaseSync(join(dir, 'links.sqlite'));
    expect(check.prepare('SELECT name, quantity, unit_cents, vat_rate FROM link_lines ORDER BY position').all())
      .toEqual([{ name: 'Kaffee', quantity: 2, unit_cents: 350, vat_rate: 19 }, { name: 'Kuchen', quantity: 1, unit_cents: 550, vat_rate: 7 }]);
    check.close();
  });

  it('refuses a database written by a newer version instead of damaging it', async () => {
    const db = new DatabaseSync(':memory:');
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => migrate(db)).toThrow(/newer Link Desk/);
    db.close();
  });
});
