import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openHistoryStore } from '../../src/main/history';
import type { HistoryStore } from '../../src/main/history';
import type { HistoryQueryInput } from '../../src/shared/history-query';
import type { LinkRecord } from '../../src/shared/link';
import { makeLinkRecord } from '../fixtures/history-records';

/**
 * The snapshot is opened by its index and records are read when first needed: these tests check
 * that what the merchant sees after a restart is the same as before it, and that damage found
 * only when a record is read is still reported and kept aside.
 */

let dir = '';
const open: HistoryStore[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'history-snapshot-'));
});
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  await rm(dir, { recursive: true, force: true });
});

const fixedNow = () => new Date('2024-06-01T12:00:00.000Z');
const snapshotPath = () => join(dir, 'history.snapshot.jsonl');

async function openStore(): Promise<HistoryStore> {
  const store = await openHistoryStore({ dir, now: fixedNow });
  open.push(store);
  return store;
}

async function closeStore(store: HistoryStore): Promise<void> {
  await store.close();
  open.splice(open.indexOf(store), 1);
}

function variedRecords(): LinkRecord[] {
  const statuses = ['ok', 'created', 'pending', 'failed', 'cancelled', 'shipped', 'received', 'weird_new_status', null];
  return Array.from({ length: 120 }, (_, i) =>
    makeLinkRecord({
      merchantRef: `LD-${String(i).padStart(3, '0')}`,
      state: i % 17 === 0 ? 'creating' : i % 19 === 0 ? 'create_failed' : 'created',
      status: statuses[i % statuses.length] as string | null,
      id: i % 5 === 0 ? null : `STX_${i}`,
      amountCents: ((i * 7919) % 5000) + 100,
      refundedCents: i % 11 === 0 ? 50 : 0,
      currency: i % 7 === 0 ? 'CHF' : 'EUR',
      reference: i % 4 === 0 ? '' : `Rechnung ${i} Größe`,
      paidWith: i % 3 === 0 ? 'invoice' : null,
      paymentMethod: i % 6 === 0 ? 'invoice' : 'any',
      createdAt: new Date(Date.UTC(2024, 0, 1) + ((i * 104729) % 200) * 3_600_000).toISOString(),
      updatedAt: new Date(Date.UTC(2024, 6, 1) + ((i * 31) % 50) * 60_000).toISOString(),
      customer:
        i % 2 === 0
          ? { forename: i % 4 === 0 ? 'Jürgen' : 'Anna', surname: i % 3 === 0 ? 'Müller\nSchmidt' : 'Yılmaz', email: `kunde${i}@example.de` }
          : undefined,
    }),
  );
}

const QUERIES: HistoryQueryInput[] = [
  { limit: 500 },
  { limit: 7, offset: 14 },
  { sort: { field: 'createdAt', direction: 'asc' }, limit: 30 },
  { sort: { field: 'updatedAt', direction: 'desc' }, limit: 500 },
  { sort: { field: 'amountCents', direction: 'asc' }, limit: 500 },
  { sort: { field: 'status', direction: 'desc' }, limit: 500 },
  { sort: { field: 'reference', direction: 'asc' }, limit: 500 },
  { statuses: ['ok', 'needs_shipping'], limit: 500 },
  { statuses: ['creating', 'create_failed', 'weird_new_status'], limit: 500 },
  { search: 'müller', limit: 500 },
  { search: 'muller schmidt', limit: 500 },
  { search: 'grösse', limit: 500 },
  { search: 'YILMAZ', limit: 500 },
  { search: 'stx_1', limit: 500 },
  { search: '12,50', limit: 500 },
  { from: '2024-01-03', to: '2024-01-05', limit: 500 },
];

function pages(store: HistoryStore): unknown[] {
  return QUERIES.map((q) => {
    const result = store.query(q);
    return { refs: result.items.map((r) => r.merchantRef), total: result.total, totals: result.totals };
  });
}

describe('history snapshot: opened by its index, records read when needed', () => {
  it('answers every query the same after a restart as before it', async () => {
    const store = await openStore();
    await Promise.all(variedRecords().map((r) => store.put(r)));
    await store.compact();
    // Changed after the snapshot: comes from the journal on the next start.
    await store.put(makeLinkRecord({ merchantRef: 'LD-007', status: 'ok', amountCents: 1250, reference: 'changed later' }));
    const before = pages(store);
    const records = new Map(store.all().map((r) => [r.merchantRef, r]));
    expect((before[9] as { total: number }).total).toBeGreaterThan(0);
    await closeStore(store);

    const reopened = await openStore();
    expect(reopened.recovery).toBeNull();
    expect(pages(reopened)).toEqual(before);
    for (const [ref, record] of records) expect(reopened.get(ref)).toEqual(record);
    expect(reopened.getById('STX_13')?.merchantRef).toBe('LD-013');
    expect(reopened.getById('STX_10')).toBeUndefined();
    expect(reopened.unfinishedCreates().map((r) => r.merchantRef).sort()).toEqual(
      [...records.values()].filter((r) => r.state === 'creating').map((r) => r.merchantRef).sort(),
    );
  });

  it('finds links by several words when one of them is rare, also for links changed since the snapshot', async () => {
    const store = await openStore();
    const records = Array.from({ length: 400 }, (_, i) =>
      makeLinkRecord({ merchantRef: `r${i}`, reference: i % 100 === 7 ? `Zebra ${i % 3 === 0 ? 'Kiwi' : 'Pear'}` : `Kiwi ${i}`, amountCents: i === 307 ? 1234 : 100 + i }),
    );
    await Promise.all(records.map((r) => store.put(r)));
    await store.compact();
    await closeStore(store);
    const reopened = await openStore();
    await reopened.put({ ...(reopened.get('r107') as LinkRecord), reference: 'Zebra with kiwi now' });
    const refs = (search: string) => reopened.query({ search, limit: 500 }).items.map((r) => r.merchantRef).sort();
    expect(refs('zebra')).toEqual(['r107', 'r207', 'r307', 'r7']);
    expect(refs('kiwi zebra')).toEqual(['r107', 'r207']);
    expect(refs('zebra 12,34')).toEqual(['r307']);
    expect(refs('zebra pear')).toEqual(['r307', 'r7']);
  });

  it('lists the links still waiting for a final status', async () => {
    const store = await openStore();
    await Promise.all(variedRecords().map((r) => store.put(r)));
    await store.compact();
    await closeStore(store);
    const reopened = await openStore();
    const expected = variedRecords()
      .filter((r) => !['ok', 'failed', 'cancelled', 'shipped', 'collected'].includes(r.status ?? ''))
      .map((r) => r.merchantRef);
    expect(reopened.nonFinal().map((r) => r.merchantRef).sort()).toEqual(expected.sort());
    await reopened.put({ ...(reopened.get(expected[0] as string) as LinkRecord), status: 'ok' });
    expect(reopened.nonFinal().map((r) => r.merchantRef)).not.toContain(expected[0]);
  });

  it('reads records correctly after a compaction replaced the file, also while writes go on', async () => {
    const store = await openStore();
    await Promise.all(variedRecords().map((r) => store.put(r)));
    await store.compact();
    await closeStore(store);

    const reopened = await openStore();
    expect(reopened.get('LD-001')?.merchantRef).toBe('LD-001');
    const compaction = reopened.compact();
    const writes = Promise.all([reopened.put(makeLinkRecord({ merchantRef: 'LD-002', amountCents: 4711 })), reopened.put(makeLinkRecord({ merchantRef: 'new-one' }))]);
    await Promise.all([compaction, writes]);
    // Never read before the file was replaced: read from the new one.
    expect(reopened.get('LD-099')).toEqual(variedRecords()[99]);
    expect(reopened.get('LD-002')?.amountCents).toBe(4711);
    expect(reopened.query({ search: 'new-one' }).items.map((r) => r.merchantRef)).toEqual(['new-one']);
    expect(reopened.all()).toHaveLength(121);
  });

  it('reports a record line damaged in place, keeps the file aside and starts clean next time', async () => {
    const store = await openStore();
    for (let i = 0; i < 30; i++) await store.put(makeLinkRecord({ merchantRef: `ref-${i}`, amountCents: 100 + i }));
    await store.compact();
    await closeStore(store);
    const original = await readFile(snapshotPath(), 'utf8');
    // Same length, so the index still points at the right places: only the line's CRC tells.
    const damaged = original.replace('"merchantRef":"ref-7","state":"created"', '"merchantRef":"ref-7","state":"cr\u0000ated"');
    expect(damaged).not.toBe(original);
    await writeFile(snapshotPath(), damaged);

    const reopened = await openStore();
    // Found by the check in the background, without anyone asking for the record.
    await vi.waitFor(() => expect(reopened.recovery?.setAsideFile).toBeTruthy());
    expect(reopened.recovery?.damagedLines).toBe(1);
    expect(await readFile(reopened.recovery!.setAsideFile!, 'utf8')).toBe(damaged);
    expect(reopened.get('ref-7')).toBeUndefined();
    expect(reopened.get('ref-8')?.amountCents).toBe(108);
    expect(reopened.query({}).total).toBe(29);
    await reopened.put(makeLinkRecord({ merchantRef: 'ref-7', amountCents: 7777 }));
    await closeStore(reopened);

    const again = await openStore();
    expect(again.recovery).toBeNull();
    expect(again.all()).toHaveLength(30);
    expect(again.get('ref-7')?.amountCents).toBe(7777);
  });

  it('takes a record line edited outside the app in place when it is still a valid record', async () => {
    const store = await openStore();
    for (let i = 0; i < 10; i++) await store.put(makeLinkRecord({ merchantRef: `ref-${i}`, amountCents: 100 + i }));
    await store.compact();
    await closeStore(store);
    const text = await readFile(snapshotPath(), 'utf8');
    await writeFile(snapshotPath(), text.replace('"merchantRef":"ref-3","state":"created","id":null,"environment":"demo","accountKey":"demo","isDemo":true,"status":"created","amountCents":103', '"merchantRef":"ref-3","state":"created","id":null,"environment":"demo","accountKey":"demo","isDemo":true,"status":"created","amountCents":999'));

    const reopened = await openStore();
    expect(reopened.get('ref-3')?.amountCents).toBe(999);
    expect(reopened.query({ search: '9,99' }).items.map((r) => r.merchantRef)).toEqual(['ref-3']);
    expect(reopened.recovery).toBeNull();
    await closeStore(reopened);
    const again = await openStore();
    expect(again.get('ref-3')?.amountCents).toBe(999);
  });

  it('reads every line of a snapshot whose index is damaged, losing nothing', async () => {
    const store = await openStore();
    for (let i = 0; i < 20; i++) await store.put(makeLinkRecord({ merchantRef: `ref-${i}`, reference: `Order ${i}` }));
    await store.compact();
    await closeStore(store);
    const text = await readFile(snapshotPath(), 'utf8');
    await writeFile(snapshotPath(), text.replace('order 5', 'order X'));

    const reopened = await openStore();
    expect(reopened.recovery).toBeNull();
    expect(reopened.all()).toHaveLength(20);
    expect(reopened.query({ search: 'order 5' }).items.map((r) => r.merchantRef).sort()).toEqual(['ref-15', 'ref-5']);
    expect(reopened.query({ search: 'order x' }).total).toBe(0);
  });

  it('opens a snapshot written by the previous version (one record per line, no index) and rewrites it', async () => {
    const records = Array.from({ length: 15 }, (_, i) => makeLinkRecord({ merchantRef: `old-${i}`, amountCents: 500 + i }));
    const body = records.map((r) => `${JSON.stringify(r)}\n`).join('');
    const header = { format: 'link-desk-history-snapshot', version: 1, generation: 3, count: records.length, schema: 'older', writtenAt: '2024-01-01T00:00:00.000Z' };
    await writeFile(snapshotPath(), `${JSON.stringify(header)}\n${body}${JSON.stringify({ end: true, crc32: crc32(body) })}\n`);
    await writeFile(join(dir, 'history.journal-3.jsonl'), `${JSON.stringify(makeLinkRecord({ merchantRef: 'old-2', amountCents: 1 }))}\n`);

    const store = await openStore();
    expect(store.recovery).toBeNull();
    expect(store.all()).toHaveLength(15);
    expect(store.get('old-2')?.amountCents).toBe(1);
    await closeStore(store);
    const rewritten = (await readFile(snapshotPath(), 'utf8')).split('\n', 1)[0] as string;
    expect(JSON.parse(rewritten)).toMatchObject({ version: 2, count: 15 });
    expect((await readdir(dir)).filter((n) => n.startsWith('history.damaged'))).toEqual([]);

    const again = await openStore();
    expect(again.get('old-2')?.amountCents).toBe(1);
    expect(again.get('old-14')?.amountCents).toBe(514);
  });
});
