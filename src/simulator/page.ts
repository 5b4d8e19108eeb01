import { createHash } from 'node:crypto';
import { vatContained } from '../shared/basket';
import type { SmartTransaction } from './types';

/**
 * The simulated payment page behind `payment_links`. Server-rendered HTML with forms only:
 * the CSP forbids every script, and the one inline stylesheet is allowed by its hash.
 */

export type PageLanguage = 'de' | 'en';

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#eef1f5;color:#1d2733;line-height:1.45}
.banner{background:#ffd54a;color:#3d2e00;text-align:center;padding:.5rem 1rem;font-weight:600;letter-spacing:.02em}
main{max-width:28rem;margin:2rem auto;padding:0 1rem}
.card{background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(20,30,50,.12);padding:1.5rem}
.merchant{margin:0;color:#5b6776;font-size:.95rem}
.amount{margin:.25rem 0 1rem;font-size:2.2rem;font-variant-numeric:tabular-nums}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem;margin:0 0 1.25rem}
dt{color:#5b6776}dd{margin:0;word-break:break-word}
fieldset{border:1px solid #d5dbe3;border-radius:8px;margin:0 0 1.25rem;padding:.5rem .75rem}
legend{padding:0 .25rem;color:#5b6776}
label{display:flex;align-items:center;gap:.5rem;padding:.35rem 0;cursor:pointer}
.actions{display:flex;flex-direction:column;gap:.5rem}
button{font:inherit;border-radius:8px;padding:.7rem 1rem;cursor:pointer;border:1px solid #c4ccd6;background:#fff;color:#1d2733}
button.primary{background:#0b6bcb;border-color:#0b6bcb;color:#fff;font-weight:600}
button:focus-visible,a:focus-visible{outline:3px solid #ffb300;outline-offset:2px}
.result{text-align:center}
.result h1{font-size:1.5rem;margin:.5rem 0}
.ok{color:#1b7a35}.bad{color:#b3261e}.wait{color:#8a5a00}
.note{color:#5b6776;font-size:.9rem}
img.qr{display:block;margin:1rem auto;width:10rem;height:10rem}
table.items{width:100%;border-collapse:collapse;margin:0 0 .5rem;font-variant-numeric:tabular-nums}
.items th{text-align:left;font-weight:400;color:#5b6776;font-size:.85rem;border-bottom:1px solid #d5dbe3;padding:.2rem 0}
.items td{padding:.3rem 0;border-bottom:1px solid #eef1f5;vertical-align:top;word-break:break-word}
.items .num{text-align:right;white-space:nowrap;padding-left:.75rem}
.vat{margin:0 0 1rem;color:#5b6776;font-size:.9rem}
.vat p{margin:0}
`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** form-action also covers the redirect after a POST, so the return URLs' origins are allowed too. */
export function contentSecurityPolicy(formTargets: string[] = []): string {
  const origins = [...new Set(formTargets)].join(' ');
  return [
    "default-src 'none'",
    `style-src 'sha256-${STYLE_HASH}'`,
    "img-src 'self'",
    `form-action 'self'${origins ? ` ${origins}` : ''}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const TEXT = {
  de: {
    banner: 'SIMULATOR – Demo-Zahlseite, es fließt kein echtes Geld',
    title: 'Bezahlen',
    reference: 'Referenz',
    method: 'Zahlart',
    pay: 'Jetzt bezahlen',
    fail: 'Fehlgeschlagene Zahlung simulieren',
    abort: 'Abbrechen',
    paid: 'Bezahlt',
    paidNote: 'Vielen Dank! Sie können dieses Fenster schließen.',
    pending: 'Bitte überweisen Sie den Betrag',
    pendingNote: 'Die Zahlung wird abgeschlossen, sobald das Geld eingegangen ist.',
    failed: 'Zahlung fehlgeschlagen',
    failedNote: 'Die Zahlung wurde abgelehnt. Sie können dieses Fenster schließen.',
    aborted: 'Zahlung abgebrochen',
    abortedNote: 'Es wurde nichts bezahlt.',
    back: 'Zurück zur Zahlung',
    cancelled: 'Dieser Zahlungslink wurde storniert',
    cancelledNote: 'Bitte wenden Sie sich an den Händler.',
    invalid: 'Dieser Zahlungslink ist ungültig',
    invalidNote: 'Bitte prüfen Sie den Link oder wenden Sie sich an den Händler.',
    other: 'Status',
    owner: 'Empfänger',
    purpose: 'Verwendungszweck',
    amount: 'Betrag',
    items: 'Artikel',
    item: 'Artikel',
    unitPrice: 'Einzelpreis',
    lineTotal: 'Summe',
    vat: (rate: string, amount: string) => `enthält ${rate} % MwSt.: ${amount}`,
  },
  en: {
    banner: 'SIMULATOR – demo payment page, no real money moves',
    title: 'Pay',
    reference: 'Reference',
    method: 'Payment method',
    pay: 'Pay now',
    fail: 'Simulate a failed payment',
    abort: 'Abort',
    paid: 'Paid',
    paidNote: 'Thank you – you can close this window.',
    pending: 'Please transfer the amount',
    pendingNote: 'The payment completes once the money has arrived.',
    failed: 'Payment failed',
    failedNote: 'The payment was declined. You can close this window.',
    aborted: 'Payment aborted',
    abortedNote: 'Nothing was paid.',
    back: 'Back to the payment',
    cancelled: 'This payment link has been cancelled',
    cancelledNote: 'Please contact the merchant.',
    invalid: 'This payment link is not valid',
    invalidNote: 'Please check the link or contact the merchant.',
    other: 'Status',
    owner: 'Recipient',
    purpose: 'Reference',
    amount: 'Amount',
    items: 'Items',
    item: 'Item',
    unitPrice: 'Unit price',
    lineTotal: 'Total',
    vat: (rate: string, amount: string) => `contains ${rate} % VAT: ${amount}`,
  },
} as const;

const METHOD_NAMES: Record<PageLanguage, Record<string, string>> = {
  de: { creditcard: 'Kreditkarte', debit: 'Lastschrift', invoice: 'Rechnung', paypal: 'PayPal', prepaid: 'Vorkasse', sofort: 'Sofort', easycredit: 'easyCredit Ratenkauf', giropay: 'giropay', eps: 'eps' },
  en: { creditcard: 'Credit card', debit: 'Direct debit', invoice: 'Invoice', paypal: 'PayPal', prepaid: 'Prepayment', sofort: 'Sofort', easycredit: 'easyCredit instalments', giropay: 'giropay', eps: 'eps' },
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export function pageLanguage(stx: SmartTransaction | undefined, acceptLanguage: string | undefined): PageLanguage {
  const language = stx?.application_context.language;
  if (language === 'en' || language === 'de') return language;
  if (stx) return 'de'; // the API's documented default
  return acceptLanguage?.trim().toLowerCase().startsWith('en') ? 'en' : 'de';
}

function formatMoney(cents: number, currency: string, language: PageLanguage): string {
  try {
    return new Intl.NumberFormat(language === 'de' ? 'de-DE' : 'en-GB', { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

function layout(language: PageLanguage, title: string, body: string): string {
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · secuconnect simulator</title>
<style>${STYLE}</style>
</head>
<body>
<div class="banner" role="note">${escapeHtml(TEXT[language].banner)}</div>
<main>${body}</main>
</body>
</html>`;
}

/** The basket's lines and the VAT they contain per rate, as a checkout shows them under the amount. */
function basketPart(stx: SmartTransaction, language: PageLanguage): string {
  const products = stx.basket?.products ?? [];
  if (products.length === 0) return '';
  const t = TEXT[language];
  const money = (cents: number) => escapeHtml(formatMoney(cents, stx.basket_info.currency, language));
  // A product's own `sum` is its total where given, as in the sum check (validate.ts).
  const lineTotal = (p: (typeof products)[number]) => p.sum ?? p.quantity * p.priceOne;
  const rows = products.map((p) => {
    const item = `${p.quantity} × ${escapeHtml(p.desc ?? '')}`;
    return `<tr><td>${item}</td><td class="num">${money(p.priceOne)}</td><td class="num">${money(lineTotal(p))}</td></tr>`;
  });
  // A product without `tax` (a data file from before it was checked) has no share to show.
  const rated = products.flatMap((p) => (p.tax === undefined ? [] : [{ quantity: 1, unitPriceCents: lineTotal(p), vatRate: p.tax }]));
  const percent = new Intl.NumberFormat(language === 'de' ? 'de-DE' : 'en-GB');
  const vat = vatContained(rated).map((share) => `<p>${escapeHtml(t.vat(percent.format(share.rate), formatMoney(share.vatCents, stx.basket_info.currency, language)))}</p>`);
  const head = `<th scope="col">${t.item}</th><th scope="col" class="num">${t.unitPrice}</th><th scope="col" class="num">${t.lineTotal}</th>`;
  return `<table class="items" aria-label="${t.items}">
<thead><tr>${head}</tr></thead>
<tbody>${rows.join('')}</tbody>
</table>
${vat.length > 0 ? `<div class="vat">${vat.join('')}</div>` : ''}`;
}

function summary(stx: SmartTransaction, language: PageLanguage): string {
  const t = TEXT[language];
  const rows: string[] = [];
  if (stx.transactionRef) rows.push(`<dt>${t.reference}</dt><dd>${escapeHtml(stx.transactionRef)}</dd>`);
  return `<p class="merchant">${escapeHtml(stx.merchant.companyname)}</p>
<p class="amount" aria-label="${t.amount}">${escapeHtml(formatMoney(stx.basket_info.sum, stx.basket_info.currency, language))}</p>
${basketPart(stx, language)}
${rows.length > 0 ? `<dl>${rows.join('')}</dl>` : ''}`;
}

export interface PayFormLink {
  stx: string;
  contract: string;
  server: string;
}

export function renderPayForm(stx: SmartTransaction, methods: string[], fixedMethod: string | undefined, link: PayFormLink, language: PageLanguage): string {
  const t = TEXT[language];
  const names = METHOD_NAMES[language];
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const methodPart = fixedMethod
    ? `${hidden('method', fixedMethod)}<dl><dt>${t.method}</dt><dd>${escapeHtml(names[fixedMethod] ?? fixedMethod)}</dd></dl>`
    : `<fieldset><legend>${t.method}</legend>${methods
        .map((m, i) => `<label><input type="radio" name="method" value="${escapeHtml(m)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(names[m] ?? m)}</label>`)
        .join('')}</fieldset>`;
  const body = `<div class="card">
${summary(stx, language)}
<form method="post" action="/pay">
${hidden('stx', link.stx)}${hidden('contract', link.contract)}${hidden('server', link.server)}
${methodPart}
<div class="actions">
<button type="submit" name="action" value="pay" class="primary">${t.pay}</button>
<button type="submit" name="action" value="fail">${t.fail}</button>
<button type="submit" name="action" value="abort">${t.abort}</button>
</div>
</form>
</div>`;
  return layout(language, t.title, body);
}

export type ResultKind = 'paid' | 'pending' | 'failed' | 'aborted' | 'cancelled' | 'other';

export function resultKind(stx: SmartTransaction): ResultKind {
  switch (stx.status) {
    case 'ok':
    case 'received':
    case 'shipped':
    case 'collection':
    case 'collected':
      return 'paid';
    case 'pending':
      return 'pending';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'other';
  }
}

export function renderResult(stx: SmartTransaction, kind: ResultKind, language: PageLanguage, backHref?: string): string {
  const t = TEXT[language];
  const heading = {
    paid: [t.paid, t.paidNote, 'ok'],
    pending: [t.pending, t.pendingNote, 'wait'],
    failed: [t.failed, t.failedNote, 'bad'],
    aborted: [t.aborted, t.abortedNote, 'wait'],
    cancelled: [t.cancelled, t.cancelledNote, 'bad'],
    other: [`${t.other}: ${stx.status}`, '', 'wait'],
  }[kind];
  let extra = '';
  const instructions = stx.payment_instructions;
  if (kind === 'pending' && instructions) {
    extra = `<dl>
<dt>${t.owner}</dt><dd>${escapeHtml(instructions.owner)}</dd>
<dt>IBAN</dt><dd>${escapeHtml(instructions.iban.replace(/(.{4})(?=.)/g, '$1 '))}</dd>
<dt>BIC</dt><dd>${escapeHtml(instructions.bic)}</dd>
<dt>${t.purpose}</dt><dd>${escapeHtml(instructions.purpose)}</dd>
</dl>
<img class="qr" alt="GiroCode" src="/qr/epc?stx=${encodeURIComponent(stx.id)}">`;
  }
  if (kind === 'aborted' && backHref) extra = `<p><a href="${escapeHtml(backHref)}">${t.back}</a></p>`;
  const body = `<div class="card">
${summary(stx, language)}
<div class="result">
<h1 class="${heading[2]}">${escapeHtml(heading[0] ?? '')}</h1>
<p class="note">${escapeHtml(heading[1] ?? '')}</p>
</div>
${extra}
</div>`;
  return layout(language, heading[0] ?? t.title, body);
}

export function renderInvalid(language: PageLanguage): string {
  const t = TEXT[language];
  return layout(language, t.invalid, `<div class="card result"><h1 class="bad">${t.invalid}</h1><p class="note">${t.invalidNote}</p></div>`);
}

export function renderPlain(language: PageLanguage, title: string, note: string): string {
  return layout(language, title, `<div class="card result"><h1>${escapeHtml(title)}</h1><p class="note">${escapeHtml(note)}</p></div>`);
}
