import { useEffect, useRef, useState } from 'react';
import '../history.css';
import { call } from '../api';
import { Notice } from '../components/Field';
import { ErrorBanner } from '../components/ErrorBanner';
import { useShortcuts } from '../shortcuts';
import type { LinkRecord } from '../../../shared/link';
import type { SettingsView } from '../../../shared/settings';
import type { AppError } from '../../../shared/errors';
import { useHistory, PAGE_SIZE, type HistoryFilters } from '../history/use-history';
import { HistoryTable } from '../history/HistoryTable';
import { HistoryToolbar } from '../history/HistoryToolbar';
import { CancelDialog, CancelExpiredDialog, RefundDialog, ShipDialog, type ActionDone } from '../history/ActionDialogs';
import { canCancel, canRefund, canRemind, canShip, reminderFor } from '../history/follow-up';
import { downloadBlob } from '../download';
import { useI18n } from '../i18n';
import type { PlainKey } from '../../../shared/i18n';
import { openMailApp } from '../open-mail';
import type { MenuAction } from '../history/RowMenu';
import { ReceiptDialog } from '../components/ReceiptDialog';
import { isPaidStatus } from '../../../shared/status';

export interface HistoryScreenProps {
  view: SettingsView | null;
  /** Shows the link screen (QR, copy, e-mail) for this record. */
  onOpenLink: (record: LinkRecord) => void;
  /** "Create your first one" on an empty history. */
  onNewLink?: () => void;
  /** Opens the New link form filled in with this link's data (amount, customer, language, …). */
  onCreateAgain?: (record: LinkRecord) => void;
  /** Filters to start with (a figure or bar clicked in the Overview). */
  initialFilters?: Partial<HistoryFilters> | undefined;
}

type Feedback = { tone: 'success' | 'error' | 'warning'; text: string; error?: AppError } | null;
type OpenDialog = { kind: 'cancel' | 'ship' | 'refund'; record: LinkRecord } | { kind: 'expired'; count: number } | null;
type Separator = ',' | ';';

function isEditable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || target.matches('input, textarea, select'));
}

export function HistoryScreen({ view, onOpenLink, onNewLink, onCreateAgain, initialFilters }: HistoryScreenProps) {
  const { t, money, lang } = useI18n();
  const history = useHistory(initialFilters);
  const searchRef = useRef<HTMLInputElement>(null);
  const [feedback, setFeedback] = useState<Feedback>(null);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [receiptFor, setReceiptFor] = useState<LinkRecord | null>(null);
  const [separator, setSeparator] = useState<Separator>(lang === 'de' ? ';' : ',');
  const [exporting, setExporting] = useState(false);
  const expiryDays = view?.settings.linkExpiryDays ?? 0;
  const merchantName = view?.settings.merchantName ?? '';

  const focusSearch = () => {
    searchRef.current?.focus();
    searchRef.current?.select();
  };
  useShortcuts({ f: focusSearch });
  useEffect(() => {
    searchRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isEditable(event.target)) return;
      if (document.querySelector('dialog[open]')) return;
      event.preventDefault();
      focusSearch();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (!feedback || feedback.tone === 'error') return;
    const timer = setTimeout(() => setFeedback(null), 8000);
    return () => clearTimeout(timer);
  }, [feedback]);

  const say = (tone: 'success' | 'error' | 'warning', key: PlainKey) => setFeedback({ tone, text: t(key) });

  const copy = async (text: string, done: PlainKey) => {
    try {
      await navigator.clipboard.writeText(text);
      say('success', done);
    } catch {
      say('error', 'history.copyFailed');
    }
  };

  const actionsFor = (record: LinkRecord): MenuAction[] => {
    const actions: MenuAction[] = [];
    if (record.paymentUrl) actions.push({ id: 'copy-link', label: t('history.action.copyLink'), run: () => void copy(record.paymentUrl ?? '', 'history.copied') });
    if (isPaidStatus(record.status)) actions.push({ id: 'receipt', label: t('receipt.open'), run: () => setReceiptFor(record) });
    if (canRemind(record)) {
      actions.push({ id: 'copy-reminder', label: t('history.action.copyReminder'), run: () => void copy(reminderFor(record, merchantName).body, 'history.reminderCopied') });
      actions.push({
        id: 'mail-reminder',
        label: t('history.action.mailReminder'),
        run: () =>
          void openMailApp(reminderFor(record, merchantName).mailto).then(
            () => say('success', 'history.mailOpened'),
            () => say('error', 'history.mailFailed'),
          ),
      });
    }
    if (onCreateAgain) actions.push({ id: 'create-again', label: t('history.action.createAgain'), run: () => onCreateAgain(record) });
    const follow: MenuAction[] = [];
    if (canShip(record)) follow.push({ id: 'ship', label: t('history.action.ship'), run: () => setDialog({ kind: 'ship', record }) });
    if (canRefund(record)) follow.push({ id: 'refund', label: t('history.action.refund'), run: () => setDialog({ kind: 'refund', record }) });
    if (canCancel(record)) follow.push({ id: 'cancel', label: t('history.action.cancel'), danger: true, run: () => setDialog({ kind: 'cancel', record }) });
    if (follow[0] && actions.length > 0) follow[0].separated = true;
    return [...actions, ...follow];
  };

  const done = ({ record, message }: ActionDone) => {
    setDialog(null);
    if (record) history.replace(record);
    else history.reload();
    setFeedback({ tone: 'success', text: message });
  };

  const exportCsv = async () => {
    setExporting(true);
    const result = await call('history.exportCsv', { query: history.exportQuery, separator });
    setExporting(false);
    if (!result.ok) return setFeedback({ tone: 'error', text: t('history.export.failed'), error: result.error });
    downloadBlob(new Blob([result.value.csv], { type: 'text/csv;charset=utf-8' }), result.value.fileName);
    setFeedback({ tone: 'success', text: t('history.export.done', { count: result.value.rows, file: result.value.fileName }) });
  };

  const { status, total, offset } = history;
  const expiredCount = expiryDays > 0 ? (status?.expiredCount ?? 0) : 0;
  const emptyHistory = !history.loading && history.error === null && total === 0 && !history.filtersActive;
  const noResults = !history.loading && history.error === null && total === 0 && history.filtersActive && !history.dateRangeInvalid;
  const lastPageOffset = Math.max(0, Math.floor((total - 1) / PAGE_SIZE) * PAGE_SIZE);

  return (
    <div className="screen history-screen" aria-labelledby="history-title">
      <header className="screen-header history-header">
        <div>
          <div className="history-title-row">
            <h1 id="history-title">{t('history.title')}</h1>
            {history.waitingCount !== null && history.waitingCount > 0 && (
              <span className="history-pill tone-waiting" data-testid="waiting-count">
                <span className="dot" aria-hidden="true" />
                {t('history.waiting', { count: history.waitingCount })}
              </span>
            )}
          </div>
          <p className="subtitle">{t('history.subtitle')}</p>
        </div>
        <div className="history-export" role="group" aria-label={t('history.export')}>
          <div className="segmented" role="radiogroup" aria-label={t('history.export.separator')} title={t('history.export.semicolon.hint')}>
            {([[';', 'history.export.semicolon'], [',', 'history.export.comma']] as const).map(([value, label]) => (
              <button key={value} type="button" role="radio" aria-checked={separator === value} className={separator === value ? 'active' : undefined}
                onClick={() => setSeparator(value)}>
                {t(label)} <span className="separator-char" aria-hidden="true">{value}</span>
              </button>
            ))}
          </div>
          <button type="button" className="button secondary" onClick={() => void exportCsv()} disabled={exporting || total === 0} data-testid="export-csv">
            {t('history.export')}
          </button>
        </div>
      </header>

      {status?.recovery && (
        <Notice tone="warning" testId="history-recovery">
          {status.recovery.databaseMissing
            ? t('history.recovery.missing')
            : status.recovery.keptLinks !== null
              ? t('history.recovery.damaged', { files: status.recovery.setAsideFiles.join(', '), count: status.recovery.keptLinks })
              : t('history.recovery.lost', { count: status.recovery.lostLinks })}
        </Notice>
      )}
      {status && status.sync.restoredLinks > 0 && (
        <Notice tone="success" testId="history-restored">{t('history.sync.restored', { count: status.sync.restoredLinks })}</Notice>
      )}
      {status && !status.sync.backfill.done && status.sync.backfill.read > 0 && (
        <div className="notice notice-info" role="status" data-testid="history-backfill">
          <span>
            {status.sync.backfill.total !== null
              ? t('history.sync.backfill', { read: status.sync.backfill.read, total: status.sync.backfill.total })
              : t('history.sync.backfillOpen', { read: status.sync.backfill.read })}
          </span>
          {status.sync.backfill.total !== null && (
            <progress max={status.sync.backfill.total} value={status.sync.backfill.read} aria-label={t('history.sync.backfillLabel')} />
          )}
        </div>
      )}
      {status && (status.sync.fallback.changedSince || status.sync.fallback.backfill) && (
        <p className="muted small" data-testid="history-fallback">{t('history.sync.fallback', { form: status.sync.fallback.changedSince ?? status.sync.fallback.backfill ?? '' })}</p>
      )}
      {status?.sync.failing && <Notice tone="warning" testId="history-sync-failing">{t('history.sync.failing')}</Notice>}
      {expiredCount > 0 && (
        <div className="notice notice-warning history-expired" role="status" data-testid="expired-notice">
          <span>{t('history.expired.notice', { count: expiredCount, days: expiryDays })}</span>
          <button type="button" className="button secondary small" onClick={() => setDialog({ kind: 'expired', count: expiredCount })}>
            {t('history.expired.action', { count: expiredCount })}
          </button>
        </div>
      )}

      <div className="feedback-slot" aria-live="polite" data-testid="history-feedback-slot">
        {feedback &&
          (feedback.error ? (
            <ErrorBanner error={feedback.error} testId="history-feedback" />
          ) : (
            <Notice tone={feedback.tone} testId="history-feedback">{feedback.text}</Notice>
          ))}
      </div>

      <HistoryToolbar filters={history.filters} onChange={history.setFilters} searchRef={searchRef}
        dateRangeInvalid={history.dateRangeInvalid} filtersActive={history.filtersActive} />

      {history.error ? (
        <div className="history-problem">
          <p>{t('history.loadFailed')}</p>
          <ErrorBanner error={history.error} testId="history-error" />
          <button type="button" className="button secondary" onClick={history.reload}>{t('history.retry')}</button>
        </div>
      ) : history.loading ? (
        <p className="loading">{t('history.loading')}</p>
      ) : emptyHistory ? (
        <div className="history-empty card" data-testid="history-empty">
          <p>{t('history.empty')}</p>
          {onNewLink && (
            <button type="button" className="button primary" onClick={onNewLink}>{t('history.empty.create')}</button>
          )}
        </div>
      ) : noResults ? (
        <div className="history-empty card" data-testid="history-no-results">
          <p>{t('history.noResults')}</p>
          <button type="button" className="button secondary" onClick={() => history.setFilters(() => ({ search: '', statuses: [], from: '', to: '' }))}>
            {t('history.filter.clear')}
          </button>
        </div>
      ) : total > 0 ? (
        <>
          <HistoryTable items={history.items} sort={history.sort} onSort={history.toggleSort} expiryDays={expiryDays}
            onOpen={onOpenLink} actionsFor={actionsFor} stale={history.stale} />
          <div className="history-footer">
            <nav className="history-pager" aria-label={t('history.pager')}>
              <span data-testid="history-showing" aria-live="polite">
                {t('history.showing', { from: offset + 1, to: Math.min(offset + PAGE_SIZE, total), total })}
              </span>
              <button type="button" className="button secondary small" disabled={offset === 0}
                onClick={() => history.setOffset(Math.max(0, offset - PAGE_SIZE))}>
                ‹ {t('history.page.prev')}
              </button>
              <button type="button" className="button secondary small" disabled={offset >= lastPageOffset}
                onClick={() => history.setOffset(Math.min(lastPageOffset, offset + PAGE_SIZE))}>
                {t('history.page.next')} ›
              </button>
            </nav>
            {history.totals === null && history.total > 0 && (
              <p className="muted small history-totals-note" data-testid="history-totals-skipped">{t('history.totals.skipped')}</p>
            )}
            {history.totals !== null && history.totals.length > 0 && (
              <dl className="history-totals" aria-label={t('history.totals')} data-testid="history-totals">
                {history.totals.map((row) => (
                  <div key={row.currency} className="totals-row" data-currency={row.currency}>
                    <dt>{row.currency}</dt>
                    <dd>
                      <span>{t('history.totals.count', { count: row.count })}</span>
                      <span>{t('history.totals.amount', { amount: money(row.amountCents, row.currency) })}</span>
                      <span className={row.paidCents > 0 ? 'paid' : undefined}>{t('history.totals.paid', { amount: money(row.paidCents, row.currency) })}</span>
                      {row.refundedCents > 0 && <span>{t('history.totals.refunded', { amount: money(row.refundedCents, row.currency) })}</span>}
                    </dd>
                  </div>
                ))}
              </dl>
            )}
          </div>
        </>
      ) : null}

      {receiptFor && <ReceiptDialog record={receiptFor} merchantName={merchantName} onClose={() => setReceiptFor(null)} />}
      {dialog?.kind === 'cancel' && <CancelDialog record={dialog.record} onClose={() => setDialog(null)} onDone={done} />}
      {dialog?.kind === 'ship' && <ShipDialog record={dialog.record} onClose={() => setDialog(null)} onDone={done} />}
      {dialog?.kind === 'refund' && <RefundDialog record={dialog.record} onClose={() => setDialog(null)} onDone={done} />}
      {dialog?.kind === 'expired' && (
        <CancelExpiredDialog count={dialog.count} days={expiryDays} onClose={() => setDialog(null)}
          onDone={(result) => {
            setDialog(null);
            history.reload();
            setFeedback({ tone: result.failed > 0 ? 'warning' : 'success', text: result.message });
          }} />
      )}
    </div>
  );
}
