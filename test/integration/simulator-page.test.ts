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
