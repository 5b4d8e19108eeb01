import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { createLink, tokenFor } from './simulator-helpers';

let sim: RunningSimulator;
let token: string;

beforeAll(async () => {
  sim = await startSimulator();
  token = await tokenFor(sim);
});
afterAll(async () => {
  await sim.stop();
});

const RETURN_URLS = {
  url_success: 'https://shop.example.com/PAYMENT-SUCCEEDED',
  url_error: 'https://shop.example.com/PAYMENT-FAILED',
  url_abort: 'https://shop.example.com/PAYMENT-ABORTED',
};

function context(language: 'de' | 'en', returnUrls?: Record<string, string>) {
  return { application_context: { checkout_template: 'COT_WD0DE66HN2XWJHW8JM88003YG0NEA2', language, ...(returnUrls ? { return_urls: returnUrls } : {}) } };
}

/** What a browser sends when the person clicks a button of the page's form. */
function formFields(html: string, action: string, method?: string): URLSearchParams {
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.append(match[1] ?? '', match[2] ?? '');
  if (method) form.set('method', method);
  else {
    const checked = /<input type="radio" name="method" value="([^"]+)" checked>/.exec(html);
    if (checked?.[1]) form.set('method', checked[1]);
  }
  form.set('action', action);
  return form;
}

async function open(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { redirect: 'manual', headers });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

async function submit(html: string, action: string, method?: string) {
  const response = await fetch(`${sim.baseUrl}/pay`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: formFields(html, action, method).toString(),
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location') };
}

describe('payment page', () => {
  it('shows amount, reference, merchant and methods, marked as a simulator, under a script-free CSP', async () => {
    const stx = await createLink(sim, token, { ...context('en', RETURN_URLS), transactionRef: 'Invoice <42>' });
    const page = await open(stx.payment_links.general);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.html).toContain('SIMULATOR');
    expect(page.html).toContain('€17.50');
    expect(page.html).toContain('Invoice &lt;42&gt;');
    expect(page.html).toContain(stx.merchant.companyname);
    for (const method of ['creditcard', 'debit', 'invoice', 'paypal', 'prepaid']) expect(page.html).toContain(`value="${method}"`);
    expect(page.html).not.toMatch(/<script/i);

    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    expect(csp).toMatch(/form-action 'self' https:\/\/shop\.example\.com/);
  });

  it('speaks German when the transaction says so', async () => {
    const stx = await createLink(sim, token, context('de'));
    const page = await open(stx.payment_links.general);
    expect(page.html).toContain('lang="de"');
    expect(page.html).toContain('Jetzt bezahlen');
    expect(page.html).toMatch(/17,50\s€/);
  });

  it('Pay redirects to url_success and the API shows the transaction paid with the chosen method', async () => {
    const stx = await createLink(sim, token, context('en', RETURN_URLS));
    const page = await open(stx.payment_links.general);
    const answer = await submit(page.html, 'pay', 'paypal');
    expect(answer.status).toBe(303);
    expect(answer.location).toBe(RETURN_URLS.url_success);
    expect(sim.control.get(stx.id)).toMatchObject({ status: 'ok', payment_method: 'paypal' });
  });

  it('Fail redirects to url_error; Abort to url_abort, else url_error', async () => {
    const failing = await createLink(sim, token, context('en', RETURN_URLS));
    expect((await submit((await open(failing.payment_links.general)).html, 'fail')).location).toBe(RETURN_URLS.url_error);
    expect(sim.control.get(failing.id)?.status).toBe('failed');

    const aborting = await createLink(sim, token, context('en', RETURN_URLS));
    expect((await submit((await open(aborting.payment_links.general)).html, 'abort')).location).toBe(RETURN_URLS.url_abort);
    expect(sim.control.get(aborting.id)?.status).toBe('created');

    const noAbortUrl = await createLink(sim, token, context('en', { url_success: RETURN_URLS.url_success, url_error: RETURN_URLS.url_error }));
    expect((await submit((await open(noAbortUrl.payment_links.general)).html, 'abort')).location).toBe(RETURN_URLS.url_error);
  });

  it('without return URLs it shows a result page ("Paid – you can close this window")', async () => {
    const stx = await createLink(sim, token, context('en'));
    const answer = await submit((await open(stx.payment_links.general)).html, 'pay', 'creditcard');
    expect(answer.status).toBe(303);
    const result = await open(new URL(answer.location ?? '', sim.baseUrl).toString());
    expect(result.status).toBe(200);
    expect(result.html).toContain('Paid');
    expect(result.html).toContain('you can close this window');
    expect(result.html).not.toContain('name="action"');

    // Opening the link again shows the same result instead of a second payment.
    expect((await open(stx.payment_links.general)).html).toContain('you can close this window');
  });

  it('after Abort without return URLs the link can still be paid', async () => {
    const stx = await createLink(sim, token, context('en'));
    const answer = await submit((await open(stx.payment_links.general)).html, 'abort');
    const result = await open(new URL(answer.location ?? '', sim.baseUrl).toString());
    expect(result.html).toContain('Payment aborted');
    const back = /<a href="([^"]+)"/.exec(result.html)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const again = await open(new URL(back, sim.baseUrl).toString());
    expect(again.html).toContain('name="action" value="pay"');
  });

  const basket = {
    products: [
      { id: 1, item_type: 'article', desc: 'Coffee', quantity: 2, priceOne: 350, tax: 19 },
      { id: 2, item_type: 'article', desc: 'Cake <b>"&', quantity: 1, priceOne: 400, tax: 7 },
      { id: 3, item_type: 'article', desc: 'Stamp', quantity: 1, priceOne: 100, tax: 0 },
    ],
  };
  /** The page's text without tags, spaces as spaces (Intl puts a no-break space before "€"). */
  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/[\s\u00a0]+/g, ' ');

  it('lists the basket (quantity × item, unit price, line total) and the VAT it contains per rate, in German', async () => {
    const stx = await createLink(sim, token, { ...context('de'), basket, basket_info: { sum: 1200, currency: 'EUR' } });
    const page = await open(stx.payment_links.general);
    const shown = text(page.html);
    expect(shown).toContain('Artikel Einzelpreis Summe');
    expect(shown).toContain('2 × Coffee 3,50 € 7,00 €');
    expect(shown).toContain('1 × Cake &lt;b&gt;&quot;&amp; 4,00 € 4,00 €');
    expect(shown).toContain('1 × Stamp 1,00 € 1,00 €');
    // 7,00 € contain 1,12 € at 19 %; 4,00 € contain 0,26 € at 7 %; the 0 % line contains none.
    expect(shown).toContain('enthält 19 % MwSt.: 1,12 €');
    expect(shown).toContain('enthält 7 % MwSt.: 0,26 €');
    expect(shown).not.toContain('0 % MwSt.: 0,00');
    expect(page.html).not.toContain('<b>');
    expect(shown.indexOf('12,00 €')).toBeLessThan(shown.indexOf('2 × Coffee'));
  });

  it('lists the basket in English, also on the result page, and shows no list without a basket', async () => {
    const stx = await createLink(sim, token, { ...context('en'), basket, basket_info: { sum: 1200, currency: 'EUR' } });
    const page = await open(stx.payment_links.general);
    expect(text(page.html)).toContain('Item Unit price Total');
    expect(text(page.html)).toContain('2 × Coffee €3.50 €7.00');
    expect(text(page.html)).toContain('contains 19 % VAT: €1.12');
    expect(text(page.html)).toContain('contains 7 % VAT: €0.26');
    const answer = await submit(page.html, 'pay', 'creditcard');
    const result = await open(new URL(answer.location ?? '', sim.baseUrl).toString());
    expect(text(result.html)).toContain('2 × Coffee €3.50 €7.00');

    const plain = await open((await createLink(sim, token, context('en'))).payment_links.general);
    expect(plain.html).not.toContain('class="items"');
    expect(plain.html).not.toContain('VAT');
  });

  it('a method link fixes the method; prepayment shows the transfer details', async () => {
    const stx = await createLink(sim, token, context('en'));
    const page = await open(stx.payment_links.prepaid);
    expect(page.html).not.toContain('type="radio"');
    expect(page.html).toContain('Prepayment');
    const answer = await submit(page.html, 'pay');
    const result = await open(new URL(answer.location ?? '', sim.baseUrl).toString());
    expect(sim.control.get(stx.id)).toMatchObject({ status: 'pending', payment_method: 'prepaid' });
    expect(result.html).toContain('Please transfer the amount');
    const instructions = sim.control.get(stx.id)?.payment_instructions;
    expect(result.html.replace(/(IBAN<\/dt><dd>[^<]*)/, (m) => m.replace(/ /g, ''))).toContain(instructions?.iban ?? 'missing');
    expect(result.html).toContain(instructions?.purpose ?? 'missing');
    expect(result.html).toContain('src="/qr/epc?stx=');
  });

  it('refuses a link whose contract does not match, and a second submit of a paid link', async () => {
    const stx = await createLink(sim, token, context('en'));
    const wrong = await open(stx.payment_links.general.replace(/contract=[^&]+/, 'contract=GCR_000000000000000000000000000000'), { 'Accept-Language': 'en-GB,en;q=0.8' });
    expect(wrong.status).toBe(404);
    expect(wrong.html).toContain('not valid');
    expect(wrong.html).not.toContain(stx.merchant.companyname);

    const page = await open(stx.payment_links.general);
    await submit(page.html, 'pay');
    const second = await submit(page.html, 'fail');
    expect(second.status).toBe(409);
    expect(sim.control.get(stx.id)?.status).toBe('ok');
  });
});
