/**
 * `npm run bench:history`: how the history and the status watcher behave with 100,000 links.
 * Prints each figure next to its goal; always exits 0 (figures vary with the machine).
 * Sections: history (open, search, persist one change). Add further sections to main().
 * `--time-open <dir>` is this file's own child mode: it times one open in a fresh process.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openHistoryStore } from '../src/main/history';
import type { HistoryQueryInput } from '../src/shared/history-query';
import type { LinkRecord } from '../src/shared/link';

const RECORDS = 100_000;
const OPEN_RUNS = 5;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Other work on the machine slows every figure down; this says how much there was. */
function loadNote(): string {
  const [one, five] = loadavg() as [number, number, number];
  return `load average ${one.toFixed(2)} (1 min), ${five.toFixed(2)} (5 min) on ${cpus().length} cores`;
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

interface OpenTiming {
  openMs: number;
  firstPageMs: number;
}

const TIME_OPEN_FLAG = '--time-open';

/** Runs this file again as `--time-open <dir>` in a new Node process and reads its figures. */
function timeOpenInChild(dir: string): Promise<OpenTiming> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), TIME_OPEN_FLAG, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`open timing exited with ${code}`));
      else resolve(JSON.parse(output) as OpenTiming);
    });
  });
}

/** The child's side: modules are loaded before the clock starts, as they are in the app. */
async function timeOpen(dir: string): Promise<void> {
  let started = performance.now();
  const store = await openHistoryStore({ dir });
  const openMs = performance.now() - started;
  started = performance.now();
  store.query({ limit: 50 });
  const firstPageMs = performance.now() - started;
  await store.close();
  process.stdout.write(JSON.stringify({ openMs, firstPageMs } satisfies OpenTiming));
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

    // The app opens the history at start, in a fresh process: measured the same way.
    const fresh: OpenTiming[] = [];
    for (let run = 0; run < OPEN_RUNS; run++) fresh.push(await timeOpenInChild(dir));
    const freshOpen = fresh.map((t) => t.openMs);
    report(`open, fresh process (median of ${OPEN_RUNS}; ${Math.min(...freshOpen).toFixed(0)}–${Math.max(...freshOpen).toFixed(0)} ms)`, median(freshOpen), 300);
    report('  open + first page of the history screen', median(fresh.map((t) => t.openMs + t.firstPageMs)), 300);
    console.info(`  machine load while opening: ${loadNote()}`);
    const openTimes: number[] = [];
    for (let run = 0; run < OPEN_RUNS; run++) {
      started = performance.now();
      const store = await openHistoryStore({ dir });
      openTimes.push(performance.now() - started);
      if (store.query({ limit: 1 }).total !== RECORDS) throw new Error(`opened ${store.query({ limit: 1 }).total} records`);
      await store.close();
    }
    report(`  open in this process (large heap from setup; ${Math.min(...openTimes).toFixed(0)}–${Math.max(...openTimes).toFixed(0)} ms)`, median(openTimes));
    const snapshot = await readFile(join(dir, 'history.snapshot.jsonl'));
    started = performance.now();
    for (const line of snapshot.toString('utf8').split('\n')) if (line !== '' && !line.startsWith('#')) JSON.parse(line);
    report('  for scale: decoding + JSON.parse of every line', performance.now() - started);

    {
      const fresh = await openHistoryStore({ dir });
      started = performance.now();
      fresh.get(records[77_777]?.merchantRef ?? '');
      report('first get after open (reads one line)', performance.now() - started);
      started = performance.now();
      const waiting = fresh.nonFinal().length;
      report(`nonFinal() after open (${waiting} links, for information)`, performance.now() - started);
      started = performance.now();
      fresh.all();
      report('all() after that (reads every other line, for information)', performance.now() - started);
      await fresh.close();
    }

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
      ['first page, oldest first', { sort: { field: 'createdAt', direction: 'asc' }, limit: 50 }],
      ['page 101 (offset 5000), newest first', { offset: 5000, limit: 50 }],
    ];
    for (const [label, query] of queries) {
      const times: number[] = [];
      let total = 0;
      for (let run = 0; run < 15; run++) {
        started = performance.now();
        total = store.query(query).total;
        times.push(performance.now() - started);
      }
      // The first run also reads the page's records from the snapshot.
      report(`${label} (${total} found; first ${times[0]?.toFixed(0)} ms)`, median(times), 30);
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

    const reopenTimes: number[] = [];
    for (let run = 0; run < OPEN_RUNS; run++) reopenTimes.push((await timeOpenInChild(dir)).openMs);
    report(`open with 200 journal lines after the snapshot (fresh process, median of ${OPEN_RUNS})`, median(reopenTimes), 300);
    console.info(`  machine load at the end: ${loadNote()}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await historySection();
}

if (process.argv[2] === TIME_OPEN_FLAG) await timeOpen(process.argv[3] as string);
else await main();
process.exit(0);
