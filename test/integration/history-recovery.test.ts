import { appendFile, mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHistoryStore } from '../../src/main/history';
import type { HistoryStore } from '../../src/main/history';
import { makeLinkRecord } from '../fixtures/history-records';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'history-recovery-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fixedNow = () => new Date('2024-06-01T12:00:00.000Z');

async function writeRecords(count: number, options: { compact?: boolean } = {}): Promise<void> {
  const store = await openHistoryStore({ dir, now: fixedNow });
  for (let i = 0; i < count; i++) await store.put(makeLinkRecord({ merchantRef: `ref-${i}`, amountCents: 100 + i, reference: `Order ${i}` }));
  if (options.compact) await store.compact();
  await store.close();
}

async function journalName(): Promise<string> {
  const names = (await readdir(dir)).filter((n) => n.startsWith('history.journal-'));
  expect(names).toHaveLength(1);
  return names[0] as string;
}

/** Writes one more record, then checks a clean reopen sees it and reports nothing. */
async function expectWritableAndCleanAfter(store: HistoryStore, expectedCount: number): Promise<void> {
  await store.put(makeLinkRecord({ merchantRef: 'after-recovery', amountCents: 4242 }));
  await store.close();
  const reopened = await openHistoryStore({ dir, now: fixedNow });
  try {
    expect(reopened.recovery).toBeNull();
    expect(reopened.get('after-recovery')?.amountCents).toBe(4242);
    expect(reopened.all()).toHaveLength(expectedCount + 1);
  } finally {
    await reopened.close();
  }
}

describe('opening a damaged history', () => {
  it('reports nothing after a normal restart', async () => {
    await writeRecords(5);
    const store = await openHistoryStore({ dir });
    expect(store.recovery).toBeNull();
    expect(store.all()).toHaveLength(5);
    await store.close();
  });

  it('keeps the readable lines when garbage sits in the middle of the journal, and sets the original aside', async () => {
    await writeRecords(10);
    const name = await journalName();
    const lines = (await readFile(join(dir, name), 'utf8')).split('\n');
    lines.splice(3, 0, 'garbage {{{', '{"merchantRef":"not-a-full-record"}');
    lines[7] = lines[7]!.slice(0, 40) + '\u0000\u0000' + lines[7]!.slice(42); // ref-5 damaged in place
    const damaged = lines.join('\n');
    await writeFile(join(dir, name), damaged);

    const store = await openHistoryStore({ dir, now: fixedNow });
    expect(store.recovery).toEqual({
      damagedLines: 3,
      setAsideFile: join(dir, 'history.damaged-2024-06-01T12-00-00-000Z.jsonl'),
      setAsideFiles: [join(dir, 'history.damaged-2024-06-01T12-00-00-000Z.jsonl')],
    });
    expect(await readFile(store.recovery!.setAsideFile!, 'utf8')).toBe(damaged);
    expect(store.get('ref-5')).toBeUndefined();
    expect(store.all().map((r) => r.merchantRef).sort()).toEqual(
      ['ref-0', 'ref-1', 'ref-2', 'ref-3', 'ref-4', 'ref-6', 'ref-7', 'ref-8', 'ref-9'],
    );
    await expectWritableAndCleanAfter(store, 9);
    // The copy stays, also after the rewrite.
    expect(await readFile(join(dir, 'history.damaged-2024-06-01T12-00-00-000Z.jsonl'), 'utf8')).toBe(damaged);
  });

  it('drops a torn last line (a write cut short) and counts it', async () => {
    await writeRecords(4);
    const name = await journalName();
    await appendFile(join(dir, name), '{"merchantRef":"ref-torn","state":"crea');
    const store = await openHistoryStore({ dir, now: fixedNow });
    expect(store.recovery?.damagedLines).toBe(1);
    expect(store.recovery?.setAsideFile).not.toBeNull();
    expect(store.all()).toHaveLength(4);
    await expectWritableAndCleanAfter(store, 4);
  });

  it('keeps the complete records of a truncated snapshot and counts the lost ones', async () => {
    await writeRecords(100, { compact: true });
    const snapshotPath = join(dir, 'history.snapshot.jsonl');
    const full = await readFile(snapshotPath);
    await truncate(snapshotPath, Math.floor(full.length / 2));
    const cut = await readFile(snapshotPath);
    const completeRecordLines = cut.toString('utf8').split('\n').length - 2; // minus header and the torn line

    const store = await openHistoryStore({ dir, now: fixedNow });
    expect(store.all()).toHaveLength(completeRecordLines);
    expect(completeRecordLines).toBeGreaterThan(30);
    expect(store.recovery?.damagedLines).toBe(100 - completeRecordLines);
    expect(await readFile(store.recovery!.setAsideFile!)).toEqual(cut);
    for (const record of store.all()) expect(record).toEqual(makeLinkRecord({ merchantRef: record.merchantRef, amountCents: record.amountCents, reference: record.reference }));
    await expectWritableAndCleanAfter(store, completeRecordLines);
  });

  it('reads the records of a snapshot whose header is garbage, and the journal after it', async () => {
    await writeRecords(20, { compact: true });
    const reopened = await openHistoryStore({ dir });
    await reopened.put(makeLinkRecord({ merchantRef: 'ref-journal', amountCents: 77 }));
    await reopened.close();
    const snapshotPath = join(dir, 'history.snapshot.jsonl');
    const text = await readFile(snapshotPath, 'utf8');
    await writeFile(snapshotPath, `not a header${text.slice(text.indexOf('\n'))}`);

    const store = await openHistoryStore({ dir, now: fixedNow });
    expect(store.recovery?.damagedLines).toBe(1);
    expect(store.all()).toHaveLength(21);
    expect(store.get('ref-journal')?.amountCents).toBe(77);
    await expectWritableAndCleanAfter(store, 21);
  });

  it('never starts empty without saying so when the whole snapshot is unreadable', async () => {
    await writeRecords(20, { compact: true });
    await writeFile(join(dir, 'history.snapshot.jsonl'), Buffer.alloc(500, 0xff));
    const store = await openHistoryStore({ dir, now: fixedNow });
    expect(store.all()).toHaveLength(0);
    expect(store.recovery?.damagedLines).toBeGreaterThan(0);
    expect((await readFile(store.recovery!.setAsideFile!)).equals(Buffer.alloc(500, 0xff))).toBe(true);
    await store.close();
  });

  it('rejects a line that is JSON but not a valid record', async () => {
    await writeRecords(3);
    const name = await journalName();
    const bad = { ...makeLinkRecord({ merchantRef: 'ref-bad' }), amountCents: '17,50' };
    await appendFile(join(dir, name), `${JSON.stringify(bad)}\n`);
    const store = await openHistoryStore({ dir, now: fixedNow });
    expect(store.recovery?.damagedLines).toBe(1);
    expect(store.get('ref-bad')).toBeUndefined();
    expect(store.all()).toHaveLength(3);
    await store.close();
  });

  it('accepts a snapshot edited outside the app when every line is still a valid record', async () => {
    await writeRecords(5, { compact: true });
    const snapshotPath = join(dir, 'history.snapshot.jsonl');
    await writeFile(snapshotPath, (await readFile(snapshotPath, 'utf8')).replace('"Order 3"', '"Order 3 (edited)"'));
    const store = await openHistoryStore({ dir, now: fixedNow });
    expect(store.recovery).toBeNull();
    expect(store.get('ref-3')?.reference).toBe('Order 3 (edited)');
    await store.close();
    const again = await openHistoryStore({ dir });
    expect(again.get('ref-3')?.reference).toBe('Order 3 (edited)');
    await again.close();
  });

  it('sets several damaged files aside under distinct names', async () => {
    await writeRecords(10, { compact: true });
    const store = await openHistoryStore({ dir });
    await store.put(makeLinkRecord({ merchantRef: 'ref-later' }));
    await store.close();
    await appendFile(join(dir, 'history.snapshot.jsonl'), 'junk\n');
    await appendFile(join(dir, await journalName()), 'junk');
    const damaged = await openHistoryStore({ dir, now: fixedNow });
    expect(damaged.recovery?.setAsideFiles).toHaveLength(2);
    expect(new Set(damaged.recovery?.setAsideFiles).size).toBe(2);
    expect(damaged.all()).toHaveLength(11);
    await damaged.close();
  });
});
