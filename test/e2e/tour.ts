import type { Page } from '@playwright/test';
import type { RunningBridgeApp } from '../../src/web-bridge/bridge-app';
import type { CustomerInput, LinkRecord } from '../../src/shared/link';
import type { Settings } from '../../src/shared/settings';
import type { BasketLine } from '../../src/shared/basket';

/**
 * A walk through every screen and dialog of the app, shared by the layout and accessibility
 * specs and by `scripts/screenshots.ts`. It finds things by structure (classes, test ids,
 * data-action), never by text, so that it keeps working while the wording changes.
 */

export const SIZES = [
  { width: 1024, height: 640 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

export const LANGUAGES = ['de', 'en'] as const;
export type TourLanguage = (typeof LANGUAGES)[number];

export interface TourStop {
  name: string;
  enter: (page: Page) => Promise<void>;
}

export interface SeededLinks {
  /** Long reference, long customer name and e-mail: what wraps or ellipsizes. */
  long: LinkRecord;
  /** Paid by invoice: needs shipping, can be refunded. */
  invoice: LinkRecord;
  /** Paid by card. */
  paid: LinkRecord;
  /** Waiting, made from quick-pick items. */
  basket: LinkRecord;
}

const sender = (bridge: RunningBridgeApp) => ({ url: bridge.url, isTopFrame: true });

export async function dispatch<T>(bridge: RunningBridgeApp, channel: string, input: unknown): Promise<T> {
  const result = await bridge.core.dispatch(channel, sender(bridge), input);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

async function createLink(bridge: RunningBridgeApp, amountCents: number, reference: string, customer?: CustomerInput, basket?: BasketLine[]): Promise<LinkRecord> {
  return dispatch<LinkRecord>(bridge, 'links.create', {
    ...(basket ? { basket } : {}),
    amountCents,
    currency: 'EUR',
    reference,
    language: 'de',
    paymentMethod: 'any',
    ...(customer ? { customer } : {}),
    returnUrls: { success: '', error: '', abort: '' },
  });
}

async function payNow(bridge: RunningBridgeApp, record: LinkRecord, method: string): Promise<LinkRecord> {
  const sim = await bridge.core.demo.get();
  const response = await fetch(`${sim.baseUrl}/__control/transactions/${record.id ?? ''}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ method }),
  });
  if (response.status !== 200) throw new Error(`simulator pay answered ${response.status}`);
  for (let attempt = 0; attempt < 50; attempt++) {
    const current = await dispatch<LinkRecord>(bridge, 'links.refresh', { merchantRef: record.merchantRef });
    if (current.status === 'ok') return current;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`link ${record.merchantRef} did not become paid`);
}

/** Links of every kind a merchant has in the history, with the longest texts the app accepts; and quick-pick items. */
export async function seedLinks(bridge: RunningBridgeApp): Promise<SeededLinks> {
  await createLink(bridge, 990, '');
  await createLink(bridge, 4200, 'Werkstattauftrag 2025-0815', { forename: 'Eva', surname: 'Kunde', email: 'eva@example.com' });
  const paid = await payNow(bridge, await createLink(bridge, 1750, 'Theke 12'), 'creditcard');
  const invoice = await payNow(
    bridge,
    await createLink(bridge, 8900, 'RE-2025-0042', { companyname: 'Kühn Fahrräder GmbH', email: 'buchhaltung@kuehn.example' }),
    'invoice',
  );
  const long = await createLink(
    bridge,
    9_876_543,
    // 140 characters, the most the API takes, with a long unbroken part.
    'Reparatur Lastenfahrrad Rahmennummer WBK-0042-ABCDEFGHIJKLMNOPQRSTUVWXYZ, Kettenblattwechsel, Bremsscheiben vorne + hinten, Abholung Fr',
    {
      forename: 'Maximiliane-Theodora',
      surname: 'Schwarzenberg-Oberhauser',
      companyname: 'Fahrradwerkstatt Kühn & Söhne Zweiradmechanik GmbH',
      email: 'buchhaltung.und.rechnungswesen@fahrradwerkstatt-kuehn-und-soehne.example',
    },
  );
  // A counter sale from quick-pick items, paid: items and VAT in the history, overview and receipt.
  const basket: BasketLine[] = [
    { itemId: 'tour-coffee', name: 'Kaffee', quantity: 2, unitPriceCents: 280, vatRate: 19 },
    { itemId: 'tour-pretzel', name: 'Brezel', quantity: 3, unitPriceCents: 120, vatRate: 7 },
  ];
  await payNow(bridge, await createLink(bridge, 920, 'Theke 13', undefined, basket), 'creditcard');
  const waitingBasket = await createLink(bridge, 15_820, '', undefined, [
    ...basket,
    { itemId: 'tour-service', name: 'Inspektion Lastenrad mit Bremsen, Schaltung, Licht und Kette', quantity: 1, unitPriceCents: 14_900, vatRate: 19 },
  ]);
  await saveSettings(bridge, { quickItems: TOUR_QUICK_ITEMS });
  return { long, invoice, paid, basket: waitingBasket };
}

/** Quick-pick items for the New-link and Settings screens, the longest name the schema allows among them. */
export const TOUR_QUICK_ITEMS: Settings['quickItems'] = [
  { id: 'tour-coffee', name: 'Kaffee', priceCents: 280, vatRate: 19 },
  { id: 'tour-pretzel', name: 'Brezel', priceCents: 120, vatRate: 7 },
  { id: 'tour-service', name: 'Inspektion Lastenrad mit Bremsen, Schaltung, Licht und Kette', priceCents: 14_900, vatRate: 19 },
  { id: 'tour-voucher', name: 'Gutschein', priceCents: 2_500, vatRate: 0 },
];

async function saveSettings(bridge: RunningBridgeApp, change: Partial<Settings>): Promise<void> {
  const view = await dispatch<{ settings: Settings }>(bridge, 'settings.get', {});
  await dispatch(bridge, 'settings.save', { settings: { ...view.settings, ...change } });
}

/** The app language, set the way the merchant sets it (Settings), then the page reloaded. */
export async function switchLanguage(page: Page, bridge: RunningBridgeApp, lang: TourLanguage): Promise<void> {
  await saveSettings(bridge, { uiLanguage: lang });
  await page.goto(bridge.url);
  await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
  await page.locator('.nav-item').first().waitFor();
}

/** Back to the shell from wherever the last stop left the page (dialog, menu, customer display). */
async function backToShell(page: Page): Promise<void> {
  if (await page.locator('.customer-display').count()) {
    await page.evaluate(() => {
      window.location.hash = '';
    });
    await page.locator('.nav-item').first().waitFor();
  }
  for (let i = 0; i < 3 && (await page.locator('dialog[open], .row-menu-list').count()) > 0; i++) await page.keyboard.press('Escape');
}

/** A sidebar item, found by the shortcut shown on it (the order of the items may change). */
async function nav(page: Page, key: 'N' | 'U' | 'H' | ',', screen: string): Promise<void> {
  await backToShell(page);
  await page.locator('.nav-item', { has: page.locator('kbd', { hasText: new RegExp(`^(Ctrl\\+|⌘)${key}$`) }) }).click();
  await page.locator(`${screen} h1`).first().waitFor();
  // The app keeps the scroll position across screens; every stop starts at the top.
  await page.locator('.content').evaluate((content) => content.scrollTo(0, 0));
}

async function openHistory(page: Page): Promise<void> {
  await nav(page, 'H', '.history-screen');
  await page.getByTestId('history-row').first().waitFor();
}

const historyRow = (page: Page, record: LinkRecord) => page.locator(`[data-testid="history-row"][data-ref="${record.merchantRef}"]`);

async function openLink(page: Page, record: LinkRecord): Promise<void> {
  await openHistory(page);
  await historyRow(page, record).getByTestId('row-open').click();
  await page.getByTestId('qr-code').waitFor();
}

async function rowMenu(page: Page, record: LinkRecord): Promise<void> {
  await openHistory(page);
  await historyRow(page, record).getByTestId('row-more').click();
  await page.locator('.row-menu-list').waitFor();
}

async function rowDialog(page: Page, record: LinkRecord, action: string): Promise<void> {
  await rowMenu(page, record);
  await page.locator(`.row-menu-list [data-action="${action}"]`).click();
  await page.locator('dialog[open]').waitFor();
}

async function customerDisplay(page: Page, record: LinkRecord, ready: string): Promise<void> {
  await backToShell(page);
  await page.evaluate((ref) => {
    window.location.hash = `#customer-display/${encodeURIComponent(ref)}`;
  }, record.merchantRef);
  await page.locator(ready).waitFor();
}

/** Every screen and dialog, in an order that needs no reloads. The last stop leaves Demo mode. */
export function tourStops(bridge: RunningBridgeApp, links: SeededLinks): TourStop[] {
  return [
    { name: 'new-link', enter: (page) => nav(page, 'N', '.new-link') },
    {
      name: 'new-link-basket',
      enter: async (page) => {
        await nav(page, 'N', '.new-link');
        // Keys as at the counter: Alt+digit while the cursor is in the amount, plain digits elsewhere.
        await page.keyboard.press('Alt+1');
        await page.keyboard.press('Alt+1');
        await page.getByTestId('pick-item').nth(2).click();
        await page.keyboard.press('2');
        await page.locator('#basket-free-amount').fill('4,5');
        await page.locator('#basket-free-amount').press('Enter');
        await page.getByTestId('basket').waitFor();
      },
    },
    {
      name: 'new-link-expanded-errors',
      enter: async (page) => {
        await nav(page, 'N', '.new-link');
        const closed = page.locator('.disclosure-toggle[aria-expanded="false"]');
        while ((await closed.count()) > 0) await closed.first().click();
        await page.locator('#customer-fields input[type="email"]').fill('not-an-e-mail');
        await page.locator('.new-link button[type="submit"]').click();
        await page.locator('.new-link .field-error').first().waitFor();
      },
    },
    { name: 'link', enter: (page) => openLink(page, links.long) },
    { name: 'link-basket', enter: (page) => openLink(page, links.basket) },
    {
      name: 'link-email-text',
      enter: async (page) => {
        await openLink(page, links.long);
        await page.locator('.email-preview summary').click();
        await page.getByTestId('email-preview').waitFor();
      },
    },
    {
      name: 'link-paid',
      enter: async (page) => {
        await openLink(page, links.invoice);
        await page.getByTestId('paid-banner').waitFor();
      },
    },
    { name: 'overview', enter: (page) => nav(page, 'U', '.overview-screen') },
    { name: 'history', enter: openHistory },
    { name: 'history-row-menu', enter: (page) => rowMenu(page, links.long) },
    { name: 'dialog-cancel', enter: (page) => rowDialog(page, links.long, 'cancel') },
    { name: 'dialog-ship', enter: (page) => rowDialog(page, links.invoice, 'ship') },
    { name: 'dialog-refund', enter: (page) => rowDialog(page, links.paid, 'refund') },
    { name: 'settings', enter: (page) => nav(page, ',', '.settings') },
    {
      name: 'settings-custom',
      enter: async (page) => {
        await nav(page, ',', '.settings');
        await page.locator('.env-choice input[value="custom"]').check();
        await page.locator('.settings .grid-2 input').first().waitFor();
      },
    },
    { name: 'customer-display', enter: (page) => customerDisplay(page, links.long, '[data-testid="display-amount"]') },
    { name: 'customer-display-basket', enter: (page) => customerDisplay(page, links.basket, '[data-testid="display-basket"]') },
    { name: 'customer-display-paid', enter: (page) => customerDisplay(page, links.paid, '[data-testid="display-thanks"]') },
    {
      name: 'settings-testing-saved',
      enter: async (page) => {
        await backToShell(page);
        await saveSettings(bridge, { environment: 'testing', clientId: 'merchant-client-7', contractId: 'GCR_2H69XY35227V2VKP9WRA3SJ0W95RP0' });
        await nav(page, ',', '.settings');
        await page.locator('.secret-row').waitFor();
      },
    },
  ];
}
