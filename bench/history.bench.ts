/**
 * `npm run bench:history`: how the history and the status watcher behave with 100,000 links.
 * Prints each figure next to its goal; always exits 0 (figures vary with the machine).
 * Sections: history (open, search, persist one change). Add further sections to main().
 */
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHistoryStore } from '../src/main/history';
import type { HistoryQueryInput } from '../src/shared/history-query';
import type { LinkRecord } from '../src/shared/link';

const RECORDS = 100_000;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function report(label: string, ms: number, goalMs?: number): void {
  const figure = `${ms.toFixed(ms < 10 ? 2 : 0)} ms`.padStart(11);
  const goal = goalMs === undefined ? '' : `  goal ≤ ${goalMs} ms  ${ms <= goalMs ? 'ok' : 'OVER'}`;
  console.info(`  ${label.padEnd(44)}${figure}${goal}`);
}

/** Deterministic pseudo-random numbers, so every run measures the same history. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) & 0x7fffffff;
    return state / 0x80000000;
  };
}

const FORENAMES = ['Anna', 'Jürgen', 'Mehmet', 'Sophie', 'Lukas', 'Marie', 'Paul', 'Emma', 'Jonas', 'Lea', 'Özlem', 'Thomas'];
const SURNAMES = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Yılmaz', 'Koch'];
const COMPANIES = ['Bäckerei Süß', 'Autohaus Nord GmbH', 'Praxis Dr. Lange', 'Blumen Kern', 'Fahrradladen Speiche'];
const STATUSES = ['ok', 'ok', 'ok', 'ok', 'created', 'created', 'pending', 'failed', 'cancelled'];
const METHODS = ['creditcard', 'paypal', 'debit', 'invoice', 'prepaid'];

function asciiMailName(name: string): string {
  return name.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ı/g, 'i');
}

function realisticRecord(i: number, random: () => number): LinkRecord {
  const created = new Date(Date.UTC(2022, 0, 1) + Math.floor(random() * 3 * 365 * 86_400_000));
  const updated = new Date(created.getTime() + Math.floor(random() * 3 * 86_400_000));
  const status = STATUSES[Math.floor(random() * STATUSES.length)] as string;
  const isPhoneOrder = random() < 0.4;
  const forename = FORENAMES[Math.floor(random() * FORENAMES.length)] as string;
  const surname = SURNAMES[Math.floor(random() * SURNAMES.length)] as string;
  const stx = `STX_${i.toString(36).toUpperCase().padStart(8, '0')}${'K7Q2W9XM4P1Z8R3T6V5N0B2C4D'.slice(0, 22)}`;
  const paid = status === 'ok';
  const url = `https://checkout.secupay.com/pay/${i.toString(36)}`;
  return {
    merchantRef: `LD-${created.getTime().toString(36)}-${i.toString(36)}`,
    state: 'created',
    id: stx,
    environment: 'live',
    accountKey: 'https://connect.secucard.com|611c00ec6b2be6c77c2338774f50040b',
    isDemo: false,
    status,
    amountCents: 100 + Math.floor(random() * 50_000),
    currency: 'EUR',
    reference: random() < 0.7 ? `RE-${created.getUTCFullYear()}-${String(i).padStart(5, '0')}` : '',
    language: 'de',
    paymentMethod: 'any',
    customer: isPhoneOrder
      ? {
          forename,
          surname,
          email: `${asciiMailName(forename)}.${asciiMailName(surname)}@example.de`,
          ...(random() < 0.2 ? { companyname: COMPANIES[Math.floor(random() * COMPANIES.length)] as string } : {}),
        }
      : undefined,
    returnUrls: { success: 'https://shop.example/success', error: 'https://shop.example/error', abort: 'https://shop.example/abort' },
    paymentUrl: url,
    paymentLinks: { general: url },
    transactionId: paid ? `PCI_${i.toString(36).toUpperCase().padStart(26, 'W')}` : null,
    paidWith: paid ? (METHODS[Math.floor(random() * METHODS.length)] as string) : null,
    refundedCents: 0,
    shipped: null,
    paymentInstructions: null,
    createdAt: created.toISOString(),
    updatedAt: updated.toISOString(),
    lastCheckedAt: updated.toISOString(),
    error: null,
  };
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

async function historySection(): Promise<void> {
  console.info(`\nHistory (${RECORDS.toLocaleString('en')} links)`);
  const dir = await mkdtemp(join(tmpdir(), 'bench-history-'));
  try {
    const random = randomSource(42);
    const records = Array.from({ length: RECORDS }, (_, i) => realisticRecord(i, random));

    let started = performance.now();
    const writer = await openHistoryStore({ dir });
    await Promise.all(records.map((r) => writer.put(r)));
    report('write all (one batch, for setup)', performance.now() - started);
    started = performance.now();
    await writer.compact();
    report('compaction (background, for information)', performance.now() - started);
    await writer.close();
    console.info(`  files on disk: ${((await folderBytes(dir)) / 1e6).toFixed(1)} MB`);

    const openTimes: number[] = [];
    for (let run = 0; run < 5; run++) {
      started = performance.now();
      const store = await openHistoryStore({ dir });
      openTimes.push(performance.now() - started);
      if (store.all().length !== RECORDS) throw new Error(`opened ${store.all().length} records`);
      await store.close();
    }
    report('open (median of 5)', median(openTimes), 300);
    const snapshot = await readFile(join(dir, 'history.snapshot.jsonl'));
    started = performance.now();
    for (const line of snapshot.toString('utf8').split('\n')) if (line !== '') JSON.parse(line);
    report('  for scale: only decoding + JSON.parse of it', performance.now() - started);

    const store = await openHistoryStore({ dir });
    const queries: [string, HistoryQueryInput][] = [
      ['search a name "müller"', { search: 'müller', limit: 50 }],
      ['search a full name "anna schmidt"', { search: 'anna schmidt', limit: 50 }],
      ['search an amount "17,50"', { search: '17,50', limit: 50 }],
      ['search a reference prefix "RE-2024-01"', { search: 'RE-2024-01', limit: 50 }],
      ['search an STX id', { search: records[54_321]?.id ?? '', limit: 50 }],
      ['first page, no filter, newest first', { limit: 50 }],
      ['status "ok", sorted by amount', { statuses: ['ok'], sort: { field: 'amountCents', direction: 'desc' }, limit: 50 }],
      ['one month, sorted by reference', { from: '2024-03-01', to: '2024-03-31', sort: { field: 'reference', direction: 'asc' }, limit: 50 }],
    ];
    for (const [label, query] of queries) {
      const times: number[] = [];
      let total = 0;
      for (let run = 0; run < 15; run++) {
        started = performance.now();
        total = store.query(query).total;
        times.push(performance.now() - started);
      }
      report(`${label} (${total} found)`, median(times), 30);
    }

    const changeTimes: number[] = [];
    for (let i = 0; i < 200; i++) {
      const record = records[(i * 491) % RECORDS] as LinkRecord;
      const changed: LinkRecord = { ...record, status: 'cancelled', updatedAt: new Date().toISOString() };
      started = performance.now();
      await store.put(changed);
      changeTimes.push(performance.now() - started);
    }
    report('persist one status change, median of 200', median(changeTimes), 10);
    report('persist one status change, p95 of 200', percentile(changeTimes, 95), 10);
    await store.close();

    started = performance.now();
    const reopened = await openHistoryStore({ dir });
    report('open with 200 journal lines after the snapshot', performance.now() - started, 300);
    await reopened.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await historySection();
}

await main();
process.exit(0);
