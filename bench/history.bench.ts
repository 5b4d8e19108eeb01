/**
 * `npm run bench:history`: the SQLite history with 100,000 and 1,000,000 realistic links.
 * Prints each figure next to its goal; always exits 0 (figures vary with the machine).
 * The databases are built once into `.bench-out/` and reused (building 1,000,000 takes minutes).
 * `--sizes 100000` measures one size only. `--time-open <dir>` is this file's own child mode:
 * it times one open (and the first page, and the process's memory) in a fresh process.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLinkRepository, type LinkRepository } from '../src/main/history';
import { CONTRACT } from '../src/shared/contract';
import type { HistoryQueryInput } from '../src/shared/history-query';
import type { LinkRecord } from '../src/shared/link';
import { benchDatabase, median } from './history-fixture';

const OPEN_RUNS = 5;

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
  console.info(`  ${label.padEnd(58)}${figure}${goal}`);
}

function reportFigure(label: string, value: number, unit: string, goal?: number): void {
  const figure = `${value.toFixed(value < 10 ? 2 : 0)} ${unit}`.padStart(11);
  const verdict = goal === undefined ? '' : `  goal ≤ ${goal} ${unit}  ${value <= goal ? 'ok' : 'OVER'}`;
  console.info(`  ${label.padEnd(58)}${figure}${verdict}`);
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) if (name.startsWith('links.sqlite')) total += (await stat(join(dir, name))).size;
  return total;
}

interface OpenTiming {
  openMs: number;
  firstPageMs: number;
  /** The first page as the window gets it: the query plus the IPC contract's check of the answer. */
  firstAnswerMs: number;
  rssMb: number;
}

const TIME_OPEN_FLAG = '--time-open';

/** Runs this file again as `--time-open <dir>` in a new Node process and reads its figures. */
function timeOpenInChild(dir: string): Promise<OpenTiming> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--no-warnings', '--import', 'tsx', fileURLToPath(import.meta.url), TIME_OPEN_FLAG, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', fail);
    child.on('exit', (code) => {
      if (code !== 0) fail(new Error(`open timing exited with ${code}`));
      else done(JSON.parse(output) as OpenTiming);
    });
  });
}

/** The child's side: modules are loaded before the clock starts, as they are in the app. */
async function timeOpen(dir: string): Promise<void> {
  let started = performance.now();
  const history = openLinkRepository({ deskId: 'de5c0001', dir });
  const openMs = performance.now() - started;
  started = performance.now();
  const page = history.query({ limit: 50 });
  const firstPageMs = performance.now() - started;
  // What the IPC dispatcher does with every answer before it leaves main (ipc/dispatcher.ts).
  if (!CONTRACT['history.query'].output.safeParse(page).success) throw new Error('the first page does not match the IPC contract');
  const firstAnswerMs = performance.now() - started;
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  await history.close(0);
  process.stdout.write(JSON.stringify({ openMs, firstPageMs, firstAnswerMs, rssMb } satisfies OpenTiming));
}

function timeQuery(history: LinkRepository, query: HistoryQueryInput, runs = 15): { ms: number; total: number; first: number } {
  const times: number[] = [];
  let total = 0;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    total = history.query(query).total;
    times.push(performance.now() - started);
  }
  return { ms: median(times), total, first: times[0] as number };
}

async function historySection(size: number, openGoals: Map<number, number>): Promise<void> {
  console.info(`\nHistory (${size.toLocaleString('en')} links)`);
  const dir = await benchDatabase(size);
  reportFigure('disk per link (database file)', (await folderBytes(dir)) / size, 'bytes', 700);

  const fresh: OpenTiming[] = [];
  for (let run = 0; run < OPEN_RUNS; run++) fresh.push(await timeOpenInChild(dir));
  const openMs = median(fresh.map((t) => t.openMs));
  openGoals.set(size, openMs);
  report(`open, fresh process (median of ${OPEN_RUNS})`, openMs, 50);
  report('first history page after open (fresh process)', median(fresh.map((t) => t.firstPageMs)), 20);
  report('  … and checked by the IPC contract, as the window gets it', median(fresh.map((t) => t.firstAnswerMs)));
  reportFigure('main-process RSS after open + first page', median(fresh.map((t) => t.rssMb)), 'MB', 120);
  console.info(`  machine load while opening: ${loadNote()}`);

  // A copy to change: the cached database stays as built.
  const work = `${dir}-work`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work);
  for (const name of await readdir(dir)) if (name.startsWith('links.')) await copyFile(join(dir, name), join(work, name));
  const history = openLinkRepository({ deskId: 'de5c0001', dir: work });
  try {
    // A large database is checked in a worker thread a few seconds after opening, which keeps a
    // core busy for a while; the figures below are for the time after it, and say how long it took.
    const checkStarted = performance.now();
    await history.checked;
    console.info(`  background check done ${((performance.now() - checkStarted) / 1000).toFixed(1)} s after open (it waits 5 s, then quick_check and every row's checksum in a worker)`);
    const sample = history.query({ offset: Math.floor(size / 2), limit: 1 }).items[0] as LinkRecord;
    const queries: Array<[string, HistoryQueryInput, number]> = [
      ['search a name "Müller"', { search: 'Müller' }, 20],
      ['search the same name transliterated "Mueller"', { search: 'Mueller' }, 20],
      ['search an amount "17,50"', { search: '17,50' }, 20],
      ['search a reference prefix "RE-2024-01"', { search: 'RE-2024-01' }, 20],
      ['search an STX id', { search: sample.id ?? '' }, 20],
      ['status "ok", sorted by amount', { statuses: ['ok'], sort: { field: 'amountCents', direction: 'desc' } }, 30],
      ['one month, newest first', { from: '2024-03-01', to: '2024-03-31' }, 20],
      ['page 101 (offset 5000), newest first', { offset: 5000 }, 20],
    ];
    for (const [label, query, goal] of queries) {
      const { ms, total, first } = timeQuery(history, query);
      report(`${label} (${total.toLocaleString('en')} found; first ${first.toFixed(0)} ms)`, ms, goal);
    }

    const changeTimes: number[] = [];
    const waiting = history.query({ statuses: ['created'], limit: 200 }).items;
    for (const link of waiting) {
      const started = performance.now();
      await history.update(link.merchantRef, () => ({ set: { status: 'cancelled', updatedAt: new Date().toISOString() } }));
      changeTimes.push(performance.now() - started);
    }
    report(`persist one status change (synchronous=NORMAL), median of ${changeTimes.length}`, median(changeTimes), 5);
    report(`persist one status change (synchronous=NORMAL), p95 of ${changeTimes.length}`, percentile(changeTimes, 95), 5);

    const refundTimes: number[] = [];
    for (const link of history.query({ statuses: ['ok'], offset: 10, limit: 50 }).items) {
      const started = performance.now();
      await history.update(link.merchantRef, () => ({ refund: { at: new Date().toISOString(), amountCents: 1, refundTransactionIds: [] } }));
      refundTimes.push(performance.now() - started);
    }
    report(`persist one refund (synchronous=FULL: only this desk knows it), p95 of ${refundTimes.length}`, percentile(refundTimes, 95));

    // 100 refunds of one paid link at once: each checks what is left, "calls the API", and adds its row.
    const paid = history.query({ statuses: ['ok'], limit: 1 }).items[0] as LinkRecord;
    const each = Math.floor(paid.amountCents / 100);
    const results = await Promise.allSettled(
      Array.from({ length: 101 }, () =>
        history.update(paid.merchantRef, async (current) => {
          if (current.amountCents - current.refundedCents < each) throw new Error('nothing left');
          await new Promise((r) => setTimeout(r, Math.random() * 2));
          return { refund: { at: new Date().toISOString(), amountCents: each, refundTransactionIds: [] } };
        }),
      ),
    );
    const after = history.get(paid.merchantRef) as LinkRecord;
    const accepted = results.filter((r) => r.status === 'fulfilled').length;
    const exact = after.refundedCents === accepted * each && after.refunds.length === accepted && accepted === 100;
    console.info(`  101 refunds of ${each} cents fired at once on ${paid.amountCents} cents: ${accepted} accepted, refunded ${after.refundedCents} = ${accepted} × ${each}  ${exact ? 'ok' : 'WRONG'}`);
  } finally {
    await history.close();
    await rm(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizesArgument = process.argv.indexOf('--sizes');
  const sizes = sizesArgument > 0 ? (process.argv[sizesArgument + 1] ?? '').split(',').map(Number) : [100_000, 1_000_000];
  const openTimes = new Map<number, number>();
  for (const size of sizes) await historySection(size, openTimes);
  const small = openTimes.get(100_000);
  const large = openTimes.get(1_000_000);
  if (small !== undefined && large !== undefined) reportFigure('\nopen(1M) / open(100k)', large / small, '×', 1.5);
  console.info(`machine load at the end: ${loadNote()}`);
}

if (process.argv[2] === TIME_OPEN_FLAG) await timeOpen(process.argv[3] as string);
else await main();
process.exit(0);
