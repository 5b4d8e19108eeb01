/**
 * `npm run bench:overview`: the Overview's figures (overview.get) over a history of 1,000,000
 * links. Goal: a month in ≤ 50 ms. Reuses the database `npm run bench:history` caches in
 * `.bench-out/history-<size>-s<schema>-g2`; without it, builds a plainer one of its own once.
 * `--sizes 100000` measures another size. Always exits 0 (figures vary with the machine).
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openLinkRepository } from '../src/main/history';
import { SCHEMA_VERSION } from '../src/main/history/schema';
import type { LinkRecord } from '../src/shared/link';
import type { OverviewQuery } from '../src/shared/overview';

const RUNS = 15;
const MONTH_GOAL_MS = 50;
const STATUSES = ['ok', 'ok', 'ok', 'ok', 'created', 'created', 'pending', 'failed', 'cancelled'];
const METHODS = ['creditcard', 'paypal', 'debit', 'invoice', 'prepaid'];

function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) & 0x7fffffff;
    return state / 0x80000000;
  };
}

/** Links spread over 2022–2024 like bench/history.bench.ts, without the customer data the overview never reads. */
function plainRecord(i: number, random: () => number): LinkRecord {
  const created = new Date(Date.UTC(2022, 0, 1) + Math.floor(random() * 3 * 365 * 86_400_000));
  const status = STATUSES[Math.floor(random() * STATUSES.length)] as string;
  const paid = status === 'ok';
  const url = `https://checkout.secupay.com/pay/${i.toString(36)}`;
  return {
    merchantRef: `LD-${created.getTime().toString(36)}-${i.toString(36)}`,
    state: 'created',
    id: `STX_${i.toString(36).toUpperCase().padStart(8, '0')}`,
    environment: 'live',
    accountKey: 'https://connect.secucard.com|611c00ec6b2be6c77c2338774f50040b',
    isDemo: false,
    status,
    amountCents: 100 + Math.floor(random() * 50_000),
    currency: random() < 0.05 ? 'CHF' : 'EUR',
    reference: `RE-${String(i).padStart(6, '0')}`,
    language: 'de',
    paymentMethod: 'any',
    paymentUrl: url,
    paymentLinks: { general: url },
    transactionId: paid ? `PCI_${i.toString(36).toUpperCase()}` : null,
    paidWith: paid ? (METHODS[Math.floor(random() * METHODS.length)] as string) : null,
    refundedCents: 0,
    refunds: [],
    origin: 'this-desk',
    shipped: null,
    paymentInstructions: null,
    createdAt: created.toISOString(),
    updatedAt: created.toISOString(),
    lastCheckedAt: null,
    error: null,
  };
}

async function benchDatabase(size: number): Promise<string> {
  const shared = resolve('.bench-out', `history-${size}-s${SCHEMA_VERSION}-g2`);
  if (existsSync(join(shared, 'complete'))) return shared;
  const dir = resolve('.bench-out', `overview-${size}-s${SCHEMA_VERSION}`);
  if (existsSync(join(dir, 'complete'))) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const started = performance.now();
  const random = randomSource(7);
  const records = Array.from({ length: size }, (_, i) => plainRecord(i, random)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const history = openLinkRepository({ deskId: 'de5c0001', dir });
  for (let i = 0; i < records.length; i += 5_000) await history.insertMany(records.slice(i, i + 5_000));
  await history.close();
  const db = new DatabaseSync(join(dir, 'links.sqlite'));
  db.exec('PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;');
  db.close();
  await writeFile(join(dir, 'complete'), '');
  console.info(`  built ${size.toLocaleString('en')} links in ${((performance.now() - started) / 1000).toFixed(0)} s (cached in ${dir})`);
  return dir;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function main(): Promise<void> {
  const sizesArg = process.argv.indexOf('--sizes');
  const sizes = sizesArg > 0 ? String(process.argv[sizesArg + 1]).split(',').map(Number) : [1_000_000];
  const [one] = loadavg() as [number, number, number];
  console.info(`overview.get (load average ${one.toFixed(2)} on ${cpus().length} cores)`);
  for (const size of sizes) {
    const dir = await benchDatabase(size);
    const history = openLinkRepository({ deskId: 'de5c0001', dir });
    // A large history is checked in the background after opening; the merchant's overview competes with it
    // only in the first seconds, so the figure is taken after it.
    await history.checked;
    const cases: Array<{ label: string; query: OverviewQuery; goal?: number }> = [
      { label: 'a day (with payments per hour)', query: { from: '2023-06-14', to: '2023-06-14' } },
      { label: 'a month', query: { from: '2023-06-01', to: '2023-06-30' }, goal: MONTH_GOAL_MS },
      { label: 'a year', query: { from: '2023-01-01', to: '2023-12-31' } },
    ];
    console.info(`${size.toLocaleString('en')} links (${dir})`);
    for (const { label, query, goal } of cases) {
      history.overview(query); // warm the page cache, as the screen's first look would
      const times: number[] = [];
      let created = 0;
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now();
        const overview = history.overview(query);
        times.push(performance.now() - started);
        created = overview.currencies.reduce((sum, currency) => sum + currency.created.count, 0);
      }
      const ms = median(times);
      const verdict = goal === undefined ? '' : `  goal ≤ ${goal} ms  ${ms <= goal ? 'ok' : 'OVER'}`;
      console.info(`  ${`${label}, ${created.toLocaleString('en')} links`.padEnd(50)}${`${ms.toFixed(1)} ms`.padStart(10)}${verdict}`);
    }
    await history.close();
  }
}

await main();
