/**
 * `npm run bench:ui`: in Debian's Chromium through the web bridge (Demo mode), how long from the
 * `links.create` answer arriving in the renderer to the QR code being painted, and how big the
 * renderer's JavaScript is gzipped. Prints each figure next to its goal; always exits 0 (figures
 * vary with the machine). Needs a build: run `npm run build` first.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { startBridgeApp } from '../src/web-bridge/bridge-app';
import { createInMemorySecretStore } from '../src/main/secret-store';
import { CREATED_MARK, QR_PAINTED_MARK } from '../src/renderer/src/bench-marks';

const LINKS = 30;
const GOAL_MEDIAN_MS = 50;
const GOAL_BUNDLE_KB = 250;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

function report(label: string, figure: string, goal: string, ok: boolean | undefined): void {
  const verdict = ok === undefined ? '' : ok ? 'ok' : 'OVER';
  console.info(`  ${label.padEnd(46)}${figure.padStart(10)}  ${goal.padEnd(14)}${verdict}`);
}

async function bundleSizeGzipped(root: string): Promise<{ raw: number; gzipped: number; files: number }> {
  const dir = join(root, 'out/renderer/assets');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.js'));
  let raw = 0;
  let gzipped = 0;
  for (const file of files) {
    const data = await readFile(join(dir, file));
    raw += data.length;
    gzipped += gzipSync(data, { level: 9 }).length;
  }
  return { raw, gzipped, files: files.length };
}

async function createToPaint(): Promise<number[]> {
  const app = await startBridgeApp({ secretStore: createInMemorySecretStore() });
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const timings: number[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(app.url);
    const amount = page.getByLabel(/^(Amount|Betrag)$/);
    // One warm-up link: the simulator starts and the first request gets a token.
    for (let i = 0; i <= LINKS; i++) {
      await amount.waitFor();
      await page.evaluate(() => performance.clearMarks());
      await amount.fill(`${10 + i},${String(i % 100).padStart(2, '0')}`);
      await amount.press('Enter');
      await page.getByTestId('qr-code').waitFor();
      const ms = await page.waitForFunction(
        ([created, painted]) => {
          const a = performance.getEntriesByName(created, 'mark')[0];
          const b = performance.getEntriesByName(painted, 'mark')[0];
          return a && b ? b.startTime - a.startTime : null;
        },
        [CREATED_MARK, QR_PAINTED_MARK] as const,
      );
      if (i > 0) timings.push((await ms.jsonValue()) as number);
      await page.keyboard.press('Control+n');
    }
  } finally {
    await browser.close();
    await app.close();
  }
  return timings;
}

async function main(): Promise<void> {
  const root = resolve(import.meta.dirname, '..');
  console.info(`Link Desk UI benchmark (Chromium, web bridge, Demo; ${LINKS} links)`);
  const timings = await createToPaint();
  const median = percentile(timings, 50);
  const p95 = percentile(timings, 95);
  report('create answer → QR painted, median', `${median.toFixed(1)} ms`, `goal ≤ ${GOAL_MEDIAN_MS} ms`, median <= GOAL_MEDIAN_MS);
  report('create answer → QR painted, p95', `${p95.toFixed(1)} ms`, '', undefined);
  report('create answer → QR painted, max', `${Math.max(...timings).toFixed(1)} ms`, '', undefined);
  const bundle = await bundleSizeGzipped(root);
  const kb = bundle.gzipped / 1024;
  report(`renderer JS gzipped (${bundle.files} file${bundle.files === 1 ? '' : 's'})`, `${kb.toFixed(1)} KB`, `goal ≤ ${GOAL_BUNDLE_KB} KB`, kb <= GOAL_BUNDLE_KB);
  report('renderer JS raw', `${(bundle.raw / 1024).toFixed(1)} KB`, '', undefined);
}

await main();
