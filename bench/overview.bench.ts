/**
 * `npm run bench:overview`: the Overview's figures (overview.get) over a history of 1,000,000
 * links. Goal: a month in ≤ 50 ms. Uses the same cached database as `npm run bench:history`
 * (bench/history-fixture.ts), building it once if it is not there yet.
 * `--sizes 100000` measures another size. Always exits 0 (figures vary with the machine).
 */
import { cpus, loadavg } from 'node:os';
import { openLinkRepository } from '../src/main/history';
import type { OverviewQuery } from '../src/shared/overview';
import { benchDatabase, median } from './history-fixture';

const RUNS = 15;
const MONTH_GOAL_MS = 50;

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
      { label: 'a day (with payments per hour)', query: { from: '2023-05-26', to: '2023-05-26' } },
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
