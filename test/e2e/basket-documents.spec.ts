import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import type { RunningBridgeApp } from '../../src/web-bridge/bridge-app';
import type { LinkRecord } from '../../src/shared/link';
import type { Settings } from '../../src/shared/settings';

/** A basket link's documents (#14 §2): receipt (screen, PDF, e-mail text) and CSV export show its items and VAT. */

type Bridge = RunningBridgeApp;

async function dispatch<T>(bridge: Bridge, channel: string, input: unknown): Promise<T> {
  const result = await bridge.core.dispatch(channel, { url: bridge.url, isTopFrame: true }, input);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** The buyer pays on the Demo simulator's page; main reads the status right away. */
async function payNow(bridge: Bridge, record: LinkRecord): Promise<LinkRecord> {
  const sim = await bridge.core.demo.get();
  const response = await fetch(`${sim.baseUrl}/__control/transactions/${record.id ?? ''}/pay`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'creditcard' }),
  });
  expect(response.status).toBe(200);
  let current = record;
  await expect.poll(async () => (current = await dispatch<LinkRecord>(bridge, 'links.refresh', { merchantRef: record.merchantRef })).status, { timeout: 10_000 }).toBe('ok');
  return current;
}

/** The page as PDF (print stylesheet), as text through poppler's pdftotext. */
async function pdfText(page: Page): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'receipt-pdf-'));
  try {
    const file = join(dir, 'receipt.pdf');
    await writeFile(file, await page.pdf({ format: 'A4' }));
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('a basket link\'s receipt lists the items and the VAT per rate, on screen, in the PDF and in the e-mail text', async ({ page, bridge, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: bridge.url });
  await page.addInitScript(() => {
    window.print = () => undefined;
  });
  await page.setViewportSize({ width: 1024, height: 640 });
  const view = await dispatch<{ settings: Settings }>(bridge, 'settings.get', {});
  await dispatch(bridge, 'settings.save', { settings: { ...view.settings, merchantName: 'Café Sonne', uiLanguage: 'en' } });
  const created = await dispatch<LinkRecord>(bridge, 'links.create', {
    amountCents: 1200, currency: 'EUR', reference: 'Table 4', language: 'de', paymentMethod: 'any',
    returnUrls: { success: '', error: '', abort: '' },
    basket: [
      { itemId: 'coffee', name: 'Kaffee', quantity: 2, unitPriceCents: 350, vatRate: 19 },
      { itemId: 'cake', name: 'Kuchen', quantity: 1, unitPriceCents: 400, vatRate: 7 },
      { name: 'Betrag', quantity: 1, unitPriceCents: 100, vatRate: 0 },
    ],
  });
  const paid = await payNow(bridge, created);
  await page.reload();
  await page.getByRole('navigation').getByRole('button', { name: /History/ }).click();
  await page.locator(`[data-testid="history-row"][data-ref="${paid.merchantRef}"]`).getByTestId('row-more').click();
  await page.getByRole('menu').getByRole('menuitem', { name: 'Receipt' }).click();

  const dialog = page.getByTestId('receipt-dialog');
  // The payment page was German, so the buyer's receipt is.
  const items = dialog.getByTestId('receipt-preview').getByRole('table', { name: 'Artikel' });
  await expect(items.getByRole('row')).toHaveText([/2 × Kaffee\s*7,00\s€/, /1 × Kuchen\s*4,00\s€/, /1 × Betrag\s*1,00\s€/]);
  await expect(dialog.getByTestId('receipt-preview')).toContainText('enthält 19 % MwSt.: 1,12 €');
  await expect(dialog.getByTestId('receipt-preview')).toContainText('enthält 7 % MwSt.: 0,26 €');
  await expect(dialog.getByTestId('receipt-preview')).not.toContainText('0 % MwSt.');
  // Fits the smallest supported window: the line totals are not cut off.
  const box = await items.boundingBox();
  expect(box && box.x + box.width).toBeLessThanOrEqual(1024);
  await page.screenshot({ path: test.info().outputPath('receipt-basket-1024.png') });

  const text = await pdfText(page);
  expect(text).toMatch(/2 × Kaffee\s+7,00 €/);
  expect(text).toMatch(/1 × Kuchen\s+4,00 €/);
  expect(text).toContain('enthält 19 % MwSt.: 1,12 €');
  expect(text).toContain('enthält 7 % MwSt.: 0,26 €');
  expect(text).toMatch(/Betrag\s+12,00 €/);
  expect(text).toContain('keine Rechnung');
  expect(text).not.toContain('History');

  await dialog.getByTestId('receipt-copy').click();
  await expect(dialog.getByRole('status')).toContainText('Receipt text copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/2 × Kaffee\s+7,00\s€\n1 × Kuchen\s+4,00\s€\n/);
  expect(copied).toMatch(/enthält 19 % MwSt\.: 1,12\s€\nenthält 7 % MwSt\.: 0,26\s€/);
});

test('the history export through main has the basket link\'s items and VAT, and empty cells for a plain link', async ({ bridge }) => {
  const view = await dispatch<{ settings: Settings }>(bridge, 'settings.get', {});
  await dispatch(bridge, 'settings.save', { settings: { ...view.settings, uiLanguage: 'de' } });
  const common = { currency: 'EUR', language: 'de', paymentMethod: 'any', returnUrls: { success: '', error: '', abort: '' } };
  await dispatch(bridge, 'links.create', {
    ...common, amountCents: 1100, reference: 'Table 4',
    basket: [
      { itemId: 'coffee', name: 'Kaffee', quantity: 2, unitPriceCents: 350, vatRate: 19 },
      { itemId: 'cake', name: 'Kuchen', quantity: 1, unitPriceCents: 400, vatRate: 7 },
    ],
  });
  await dispatch(bridge, 'links.create', { ...common, amountCents: 990, reference: 'Phone order' });
  const exported = await dispatch<{ csv: string }>(bridge, 'history.exportCsv', { query: {}, separator: ';' });
  const [header, ...rows] = exported.csv.replace(/^\uFEFF/, '').split('\r\n');
  expect(header).toMatch(/;Zahlungslink;Artikel;MwSt\. 19 %;MwSt\. 7 %$/);
  expect(rows.find((row) => row.includes('Table 4'))).toMatch(/;"2 × Kaffee à 3,50\s€; 1 × Kuchen à 4,00\s€";1,12;0,26$/);
  expect(rows.find((row) => row.includes('Phone order'))).toMatch(/;;;$/);
});
