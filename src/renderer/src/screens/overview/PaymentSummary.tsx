import { createPortal } from 'react-dom';
import { call } from '../../api';
import { useI18n } from '../../i18n';
import { methodLabel } from '../../../../shared/i18n/labels';
import { formatDateTime } from '../../../../shared/i18n';
import { OVERVIEW_STATUS_FILTERS, type Overview } from '../../../../shared/overview';
import type { IpcResult } from '../../../../shared/contract';
import type { LinkRecord } from '../../../../shared/link';
import { HISTORY_MAX_PAGE } from '../../../../shared/history-query';
import { percentText } from './charts';
import { dayIso } from './ranges';
import { usePrintDocument } from './print';

/** The printed list stops here; the figures above it always cover the whole range. */
const MAX_LISTED = 5_000;

export interface SummaryData {
  overview: Overview;
  links: { items: LinkRecord[]; total: number };
  merchantName: string;
  printedAt: string;
}

/** The range's paid links, oldest first, for the printed list (the figures come from main's sums). */
export async function loadPaidLinks(from: string, to: string): Promise<IpcResult<{ items: LinkRecord[]; total: number }>> {
  const items: LinkRecord[] = [];
  for (let offset = 0; offset < MAX_LISTED; offset += HISTORY_MAX_PAGE) {
    const page = await call('history.query', {
      from, to, statuses: [...OVERVIEW_STATUS_FILTERS.paid], sort: { field: 'createdAt', direction: 'asc' }, offset, limit: HISTORY_MAX_PAGE,
    });
    if (!page.ok) return page;
    items.push(...page.value.items);
    if (offset + HISTORY_MAX_PAGE >= page.value.total) return { ok: true, value: { items, total: page.value.total } };
  }
  return { ok: true, value: { items, total: items.length } };
}

/**
 * "Zahlungsübersicht": a payment summary to print or save as PDF. Deliberately not a till closing
 * report: no cash, no running totals or closing numbers, and its footer says it is no fiscal document.
 */
export function PaymentSummary({ data }: { data: SummaryData }) {
  const { t, lang, money, count } = useI18n();
  usePrintDocument('summary');
  const { overview, links } = data;
  const day = (value: string) => formatDateTime(dayIso(value), lang, 'date');
  return createPortal(
    <article className="ld-print-doc ld-summary" data-testid="payment-summary">
      <header>
        <p className="ld-doc-merchant">{data.merchantName || t('app.name')}</p>
        <h1>{t('summary.title')}</h1>
        <p>{overview.from === overview.to ? day(overview.from) : t('overview.rangeText', { from: day(overview.from), to: day(overview.to) })}</p>
      </header>
      {overview.currencies.length === 0 && <p>{t('overview.empty')}</p>}
      {overview.currencies.map((figures) => (
        <section key={figures.currency}>
          <h2>{t('summary.figures', { currency: figures.currency })}</h2>
          <table className="ld-doc-table ld-doc-figures">
            <tbody>
              <tr><th scope="row">{t('overview.figure.created')}</th><td>{count(figures.created.count)}</td><td>{money(figures.created.cents, figures.currency)}</td></tr>
              <tr className="ld-doc-strong"><th scope="row">{t('overview.figure.paid')}</th><td>{count(figures.paid.count)}</td><td>{money(figures.paid.cents, figures.currency)}</td></tr>
              <tr><th scope="row">{t('overview.figure.waiting')}</th><td>{count(figures.waiting.count)}</td><td>{money(figures.waiting.cents, figures.currency)}</td></tr>
              <tr><th scope="row">{t('overview.figure.failed')}</th><td>{count(figures.failed.count)}</td><td>{money(figures.failed.cents, figures.currency)}</td></tr>
              <tr><th scope="row">{t('overview.figure.cancelled')}</th><td>{count(figures.cancelled.count)}</td><td>{money(figures.cancelled.cents, figures.currency)}</td></tr>
              <tr><th scope="row">{t('overview.fact.refunded')}</th><td /><td>{money(figures.refundedCents, figures.currency)}</td></tr>
              <tr><th scope="row">{t('overview.fact.sharePaid')}</th><td /><td>{figures.sharePaid === null ? '–' : percentText(figures.sharePaid, lang)}</td></tr>
            </tbody>
          </table>
          {figures.byMethod.length > 0 && (
            <>
              <h3>{t('overview.chart.methods')}</h3>
              <table className="ld-doc-table ld-doc-figures">
                <tbody>
                  {figures.byMethod.map((entry) => (
                    <tr key={entry.method}>
                      <th scope="row">{entry.method === 'unknown' ? t('overview.method.unknown') : methodLabel(t, entry.method)}</th>
                      <td>{count(entry.count)}</td>
                      <td>{money(entry.cents, figures.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>
      ))}
      {links.items.length > 0 && (
        <section>
          <h2>{t('summary.paidLinks')}</h2>
          <table className="ld-doc-table ld-doc-list">
            <thead>
              <tr>
                <th scope="col">{t('summary.col.time')}</th>
                <th scope="col">{t('summary.col.reference')}</th>
                <th scope="col" className="ld-doc-amount">{t('summary.col.amount')}</th>
                <th scope="col">{t('summary.col.method')}</th>
                <th scope="col">{t('summary.col.transaction')}</th>
              </tr>
            </thead>
            <tbody>
              {links.items.map((record) => (
                <tr key={record.merchantRef}>
                  <td>{formatDateTime(record.createdAt, lang)}</td>
                  <td>{record.reference || '–'}</td>
                  <td className="ld-doc-amount">{money(record.amountCents, record.currency)}</td>
                  <td>{record.paidWith ? methodLabel(t, record.paidWith) : '–'}</td>
                  <td className="ld-doc-mono">{record.transactionId ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {links.total > links.items.length && <p>{t('summary.listCut', { shown: links.items.length, total: links.total })}</p>}
        </section>
      )}
      <footer>
        <p>{t('summary.footer')}</p>
        <p>{t('summary.printedAt', { at: formatDateTime(data.printedAt, lang) })}</p>
      </footer>
    </article>,
    document.body,
  );
}
