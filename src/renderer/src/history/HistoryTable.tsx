import { useRef, useState, type KeyboardEvent } from 'react';
import { BasketSummary } from '../components/BasketSummary';
import { historyStatus, needsShipping, type HistorySortField } from '../../../shared/history-query';
import { isExpired, type LinkOrigin, type LinkRecord } from '../../../shared/link';
import { statusTone } from '../../../shared/status';
import { customerName } from './follow-up';
import { methodLabel, statusLabel } from '../../../shared/i18n/labels';
import { formatDateTime, type PlainKey } from '../../../shared/i18n';
import { useI18n } from '../i18n';
import { linkName } from './link-name';
import { RowMenu, type MenuAction } from './RowMenu';
import type { HistorySort } from './use-history';


const ORIGIN_LABELS = {
  'this-desk': 'history.origin.this-desk',
  'other-desk': 'history.origin.other-desk',
  elsewhere: 'history.origin.elsewhere',
} as const satisfies Record<LinkOrigin, string>;

export interface HistoryTableProps {
  items: LinkRecord[];
  sort: HistorySort;
  onSort: (field: HistorySortField) => void;
  expiryDays: number;
  onOpen: (record: LinkRecord) => void;
  actionsFor: (record: LinkRecord) => MenuAction[];
  /** Older results while newer ones load: dimmed, not hidden, so the table does not jump. */
  stale: boolean;
}

interface Column {
  key: string;
  label: PlainKey;
  sort?: HistorySortField;
  className?: string;
}

const COLUMNS: Column[] = [
  { key: 'status', label: 'history.col.status', sort: 'status', className: 'col-status' },
  { key: 'amount', label: 'history.col.amount', sort: 'amountCents', className: 'col-amount' },
  { key: 'reference', label: 'history.col.reference', sort: 'reference', className: 'col-reference' },
  { key: 'customer', label: 'history.col.customer', className: 'col-customer' },
  { key: 'created', label: 'history.col.created', sort: 'createdAt', className: 'col-date' },
  { key: 'updated', label: 'history.col.updated', sort: 'updatedAt', className: 'col-date' },
  { key: 'actions', label: 'history.col.actions', className: 'col-actions' },
];

/** Day above time, so two date columns fit next to the rest. */
function DateCell({ iso }: { iso: string }) {
  const { lang, dateTime, day } = useI18n();
  if (Number.isNaN(new Date(iso).getTime())) return <>{iso}</>;
  return (
    <time dateTime={iso} title={dateTime(iso)}>
      <span className="day">{day(iso)}</span>
      <span className="time">{formatDateTime(iso, lang, 'time')}</span>
    </time>
  );
}

/** Tone of a history status: the API's tones, plus the two states of creating a link. */
function toneOf(record: LinkRecord): string {
  const status = historyStatus(record);
  if (status === 'create_failed') return 'failed';
  if (status === 'creating') return 'neutral';
  return statusTone(status);
}

/** Only the current page is rendered; arrow keys move between rows, Enter opens the focused one. */
export function HistoryTable({ items, sort, onSort, expiryDays, onOpen, actionsFor, stale }: HistoryTableProps) {
  const i18n = useI18n();
  const { t, money, dateTime } = i18n;
  const [active, setActive] = useState(0);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const now = new Date();
  const activeIndex = Math.min(active, Math.max(0, items.length - 1));

  const focusRow = (index: number) => {
    const rows = bodyRef.current?.querySelectorAll<HTMLTableRowElement>('tr[data-row]');
    if (!rows || rows.length === 0) return;
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    setActive(clamped);
    rows[clamped]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const target = event.target as HTMLElement;
    if (target.closest('[role="menu"]') || target.matches('input, select, textarea')) return;
    const row = target.closest<HTMLTableRowElement>('tr[data-row]');
    if (!row) return;
    const index = Number(row.dataset['row']);
    switch (event.key) {
      case 'ArrowDown':
        focusRow(index + 1);
        break;
      case 'ArrowUp':
        focusRow(index - 1);
        break;
      case 'Home':
        if (target !== row) return;
        focusRow(0);
        break;
      case 'End':
        if (target !== row) return;
        focusRow(items.length - 1);
        break;
      case 'Enter': {
        // Enter on the row opens it; on one of its buttons it presses that button.
        if (target !== row) return;
        const record = items[index];
        if (record) onOpen(record);
        break;
      }
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div className={stale ? 'history-table-wrap stale' : 'history-table-wrap'}>
      <table className="history-table" aria-label={t('history.table')} aria-busy={stale || undefined} data-testid="history-table">
        <thead>
          <tr>
            {COLUMNS.map((column) => {
              const sorted = column.sort !== undefined && sort.field === column.sort;
              return (
                <th key={column.key} scope="col" className={column.className}
                  aria-sort={column.sort === undefined ? undefined : sorted ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
                  {column.sort ? (
                    <button type="button" className="sort-button" onClick={() => column.sort && onSort(column.sort)}
                      title={t('history.sortBy', { column: t(column.label) })}>
                      <span>{t(column.label)}</span>
                      <span className="sort-mark" aria-hidden="true">{sorted ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}</span>
                    </button>
                  ) : (
                    t(column.label)
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody ref={bodyRef} onKeyDown={onKeyDown}>
          {items.map((record, index) => {
            const status = historyStatus(record);
            const expired = isExpired(record, expiryDays, now);
            const shipping = needsShipping(record);
            const name = customerName(record);
            const reference = linkName(record, i18n);
            return (
              <tr key={record.merchantRef} data-row={index} tabIndex={index === activeIndex ? 0 : -1}
                data-testid="history-row" data-ref={record.merchantRef} data-status={status}
                onFocus={(event) => event.target === event.currentTarget && setActive(index)}
                onDoubleClick={() => onOpen(record)}>
                <td className="col-status">
                  <span className={`history-pill tone-${toneOf(record)}`} data-testid="row-status">
                    <span className="dot" aria-hidden="true" />
                    {statusLabel(t, status)}
                  </span>
                  {(expired || shipping || record.shipped) && (
                    <span className="history-flags">
                      {expired && (
                        <span className="history-flag flag-expired" title={t('history.flag.expired.hint', { days: expiryDays })} data-testid="flag-expired">
                          {t('history.flag.expired')}
                        </span>
                      )}
                      {shipping && (
                        <span className="history-flag flag-shipping" title={t('history.flag.needsShipping.hint')} data-testid="flag-needs-shipping">
                          {t('history.flag.needsShipping')}
                        </span>
                      )}
                      {record.shipped && (
                        <span className="history-flag flag-shipped" data-testid="flag-shipped">
                          {t('history.flag.shipped', { date: dateTime(record.shipped.at) })}
                        </span>
                      )}
                    </span>
                  )}
                </td>
                <td className="col-amount">
                  <span className="amount" data-testid="row-amount">{money(record.amountCents, record.currency)}</span>
                  {(record.paidWith || record.paymentMethod !== 'any') && (
                    <span className={record.paidWith ? 'method' : 'method none'} data-testid="row-method">
                      {methodLabel(t, record.paidWith ?? record.paymentMethod)}
                    </span>
                  )}
                  {record.refundedCents > 0 && (
                    <details className="refunds" data-testid="row-refunds">
                      <summary className="refunded" data-testid="row-refunded">
                        {t('history.refunded', { amount: money(record.refundedCents, record.currency) })}
                      </summary>
                      <ul>
                        {record.refunds.map((refund) => (
                          <li key={`${refund.at}-${refund.amountCents}`} data-testid="row-refund">
                            {t(refund.reason ? 'history.refund.entryReason' : 'history.refund.entry', {
                              date: dateTime(refund.at), amount: money(refund.amountCents, record.currency), reason: refund.reason ?? '',
                            })}
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                </td>
                <td className="col-reference">
                  {record.reference ? (
                    <span className="reference" data-testid="row-reference" title={record.reference}>{record.reference}</span>
                  ) : (
                    <span className="reference none" data-testid="row-reference" title={reference}>–</span>
                  )}
                  {record.basket && record.basket.length > 0 && (
                    <details className="row-items" data-testid="row-items">
                      <summary>{t('history.items', { count: record.basket.reduce((sum, line) => sum + line.quantity, 0) })}</summary>
                      <BasketSummary basket={record.basket} currency={record.currency} />
                    </details>
                  )}
                  {(record.origin !== 'this-desk' || record.deskName) && (
                    <span className="origin muted" data-testid="row-origin" data-origin={record.origin}>
                      {record.deskName ? t('history.origin.desk', { origin: t(ORIGIN_LABELS[record.origin]), desk: record.deskName }) : t(ORIGIN_LABELS[record.origin])}
                    </span>
                  )}
                </td>
                <td className="col-customer">
                  {name && <span className="customer-name" title={name}>{name}</span>}
                  {record.customer?.email && <span className="customer-email" title={record.customer.email}>{record.customer.email}</span>}
                  {!name && !record.customer?.email && <span className="none" aria-hidden="true">–</span>}
                </td>
                <td className="col-date"><DateCell iso={record.createdAt} /></td>
                <td className="col-date"><DateCell iso={record.updatedAt} /></td>
                <td className="col-actions">
                  <span className="row-actions">
                    <button type="button" className="button secondary small" tabIndex={-1} onClick={() => onOpen(record)}
                      aria-label={t('history.action.open.label', { reference })} data-testid="row-open">
                      {t('history.action.open')}
                    </button>
                    <RowMenu label={t('history.action.more')} ariaLabel={t('history.action.more.label', { reference })}
                      actions={actionsFor(record)} testId="row-more" tabbable={index === activeIndex} />
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
