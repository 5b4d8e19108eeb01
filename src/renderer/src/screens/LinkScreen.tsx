import { useEffect, useRef, useState, type Ref } from 'react';
import { BasketSummary } from '../components/BasketSummary';
import type { LinkRecord } from '../../../shared/link';
import type { SettingsView } from '../../../shared/settings';
import { composeEmail } from '../../../shared/email-text';
import { composeShareMessage, smsUrl, whatsappUrl } from '../../../shared/share-text';
import { DEFAULT_EMAIL_TEMPLATES } from '../../../shared/settings';
import { isPaidStatus, statusTone } from '../../../shared/status';
import { historyStatus } from '../../../shared/history-query';
import { languageName, statusLabel } from '../../../shared/i18n/labels';
import type { PlainKey } from '../../../shared/i18n';
import { useI18n } from '../i18n';
import { openMailApp } from '../open-mail';
import { LiveAnnouncement } from '../components/LiveAnnouncement';
import { ReceiptDialog } from '../components/ReceiptDialog';
import { call } from '../api';
import { QrCode } from '../components/QrCode';
import { ErrorBanner } from '../components/ErrorBanner';
import { Notice } from '../components/Field';
import { useLinkStatus } from '../use-link-status';
import { qrFileName, qrPngBlob, qrSvgFile } from '../qr';
import { downloadBlob } from '../download';
import { playPaidSound } from '../sound';
import { shortcutLabel, useShortcuts } from '../shortcuts';
import { QR_PAINTED_MARK } from '../bench-marks';

export interface LinkScreenProps {
  initial: LinkRecord;
  view: SettingsView | null;
  onNewLink: () => void;
  onCreateAgain: (record: LinkRecord) => void;
  /** For an account error (credentials, contract) the status problem offers a way to Settings. */
  onOpenSettings?: () => void;
  /** "Try again" made a new link (the account had none for this attempt): show that one instead. */
  onReplaced?: (record: LinkRecord) => void;
}

/** A link whose create was never confirmed (still being checked) or failed for sure, with "Try again". */
function UnconfirmedCreate({ record, retrying, onRetry }: { record: LinkRecord; retrying: boolean; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <div className="unconfirmed-create" data-testid="unconfirmed-create" data-state={record.state}>
      {record.state === 'creating' ? (
        <Notice tone="warning" testId="link-checking">{t('link.checking')}</Notice>
      ) : (
        <Notice tone="error" testId="link-create-failed">{t('link.createFailed', { reason: record.error?.message ?? '' })}</Notice>
      )}
      <button type="button" className="button" onClick={onRetry} disabled={retrying} aria-describedby="retry-hint" data-testid="link-retry">
        {t('link.retry')}
      </button>
      <p id="retry-hint" className="muted small">{t('link.retryHint')}</p>
    </div>
  );
}

const markPainted = () => performance.mark(QR_PAINTED_MARK);

type Feedback = { tone: 'success' | 'error'; key: PlainKey } | null;

/**
 * Where main cannot open a URL (the web bridge): a new browser tab, cut off from this page.
 * Not with the "noopener" feature, with which window.open answers null even when it opened;
 * null here means the browser refused (a popup blocker), which the merchant is told.
 */
function openInBrowser(url: string): boolean {
  const opened = window.open(url, '_blank');
  if (opened) opened.opener = null;
  return opened !== null;
}

/** Opens the customer-facing display; where main cannot (the web bridge), as a browser window. */
export async function openCustomerDisplay(merchantRef: string): Promise<boolean> {
  const result = await call('display.open', { merchantRef });
  if (result.ok && result.value.opened) return true;
  const opened = window.open(`${location.pathname}#customer-display/${encodeURIComponent(merchantRef)}`, 'link-desk-customer-display');
  return opened !== null;
}

export function LinkScreen({ initial, view, onNewLink, onCreateAgain, onOpenSettings, onReplaced }: LinkScreenProps) {
  const { t, money } = useI18n();
  const { record: current, offline, problem } = useLinkStatus(initial.merchantRef, initial);
  const record = current ?? initial;
  const [feedback, setFeedback] = useState<Feedback>(null);
  const copyRef = useRef<HTMLButtonElement>(null);
  const newLinkRef = useRef<HTMLButtonElement>(null);
  const paidBefore = useRef(isPaidStatus(initial.status));
  // Said to screen readers when the status changes while the link is on screen (not on opening it).
  const [announcement, setAnnouncement] = useState('');
  const [receiptOpen, setReceiptOpen] = useState(false);
  // With auto-print on (Settings), a payment while the link is on screen opens the receipt and prints it.
  const [paidAtOpen] = useState(() => isPaidStatus(initial.status));
  const [autoReceiptDone, setAutoReceiptDone] = useState(false);
  const announcedStatus = useRef(initial.status);
  const sound = view?.settings.sound ?? false;
  const autoPrintReceipt = view?.settings.autoPrintReceipt ?? false;

  useEffect(() => {
    copyRef.current?.focus();
  }, []);

  useEffect(() => {
    const paid = isPaidStatus(record.status);
    // Only a payment that happens while the link is on screen chimes, not reopening a paid one.
    if (paid && !paidBefore.current) {
      if (sound) playPaidSound();
      // Next customer: "New link" is now the main action; take the focus there unless the person is typing.
      if (!(document.activeElement instanceof HTMLInputElement || document.activeElement instanceof HTMLTextAreaElement)) {
        newLinkRef.current?.focus();
      }
    }
    paidBefore.current = paid;
  }, [record.status, sound]);

  useEffect(() => {
    if (record.status === announcedStatus.current) return;
    announcedStatus.current = record.status;
    const label = statusLabel(t, record.status);
    setAnnouncement(isPaidStatus(record.status) ? t('link.paidAnnouncement', { amount: money(record.amountCents, record.currency) }) : label);
  }, [record.status, record.amountCents, record.currency, t, money]);

  useEffect(() => {
    if (!feedback) return;
    const timer = setTimeout(() => setFeedback(null), 4000);
    return () => clearTimeout(timer);
  }, [feedback]);

  const url = record.paymentUrl ?? '';
  const email = () =>
    composeEmail({
      record,
      template: view?.settings.emailTemplates[record.language] ?? DEFAULT_EMAIL_TEMPLATES[record.language],
      merchantName: view?.settings.merchantName ?? '',
    });
  const shareText = () => composeShareMessage({ record, merchantName: view?.settings.merchantName ?? '' });
  const fileLabel = record.reference || record.merchantRef;

  const copy = async (text: string, done: PlainKey) => {
    try {
      await navigator.clipboard.writeText(text);
      setFeedback({ tone: 'success', key: done });
    } catch {
      setFeedback({ tone: 'error', key: 'link.copyFailed' });
    }
  };
  const actions = {
    copyLink: () => void copy(url, 'link.copied'),
    copyEmail: () => void copy(email().body, 'link.emailCopied'),
    mailApp: async () => {
      try {
        await openMailApp(email().mailto);
        setFeedback({ tone: 'success', key: 'link.mailOpened' });
      } catch {
        setFeedback({ tone: 'error', key: 'link.mailFailed' });
      }
    },
    openPage: async () => {
      const result = await call('shell.openExternal', { url });
      if (result.ok && result.value.opened) return;
      if (!openInBrowser(url)) setFeedback({ tone: 'error', key: 'link.openFailed' });
    },
    whatsapp: async () => {
      const target = whatsappUrl(shareText(), record.customer?.mobile);
      const result = await call('shell.openExternal', { url: target });
      if (!(result.ok && result.value.opened) && !openInBrowser(target)) return setFeedback({ tone: 'error', key: 'link.openFailed' });
      setFeedback({ tone: 'success', key: 'link.whatsappOpened' });
    },
    sms: async () => {
      const result = await call('shell.openExternal', { url: smsUrl(shareText(), record.customer?.mobile) });
      if (result.ok && result.value.opened) return setFeedback({ tone: 'success', key: 'link.smsOpened' });
      // No SMS handler (or a browser, which cannot tell whether it has one): the text goes to the clipboard.
      await copy(shareText(), 'link.smsCopied');
    },
    savePng: async () => {
      try {
        downloadBlob(await qrPngBlob(url), qrFileName(fileLabel, 'png'));
        setFeedback({ tone: 'success', key: 'link.saved' });
      } catch {
        setFeedback({ tone: 'error', key: 'link.saveFailed' });
      }
    },
    saveSvg: () => {
      downloadBlob(new Blob([qrSvgFile(url)], { type: 'image/svg+xml' }), qrFileName(fileLabel, 'svg'));
      setFeedback({ tone: 'success', key: 'link.saved' });
    },
    print: () => window.print(),
    display: async () => {
      if (!(await openCustomerDisplay(record.merchantRef))) setFeedback({ tone: 'error', key: 'link.displayFailed' });
    },
  };

  useShortcuts({
    l: actions.copyLink,
    e: actions.copyEmail,
    m: () => void actions.mailApp(),
    o: () => void actions.openPage(),
    // Not Ctrl+W / Ctrl+T: those close the window and open a tab, and a browser never hands them to the page.
    k: () => void actions.whatsapp(),
    'shift+k': () => void actions.sms(),
    s: () => void actions.savePng(),
    'shift+s': actions.saveSvg,
    p: actions.print,
    d: () => void actions.display(),
  });

  // "Try again" for a create that failed or was never confirmed: main asks secupay first.
  const [retrying, setRetrying] = useState(false);
  const [retried, setRetried] = useState<LinkRecord | null>(null);
  const retry = async () => {
    setRetrying(true);
    const result = await call('links.retry', { merchantRef: record.merchantRef });
    setRetrying(false);
    if (result.ok) setRetried(result.value);
    else setFeedback({ tone: 'error', key: 'link.retryFailed' });
  };
  useEffect(() => {
    if (retried && retried.merchantRef !== initial.merchantRef) onReplaced?.(retried);
  }, [retried, initial.merchantRef, onReplaced]);

  const tone = statusTone(record.status);
  const paid = isPaidStatus(record.status);
  const autoReceipt = autoPrintReceipt && paid && !paidAtOpen && !autoReceiptDone;
  const amount = money(record.amountCents, record.currency);
  const customerName = [record.customer?.forename, record.customer?.surname].filter(Boolean).join(' ') || record.customer?.companyname || '';
  const statusHint = statusHintKey(record.status);

  return (
    <div className={`screen link-screen tone-${tone}`} aria-labelledby="link-title">
      <LiveAnnouncement text={announcement} testId="status-announcement" />
      {paid && (
        <div className="paid-banner" data-testid="paid-banner">
          <span className="paid-check" aria-hidden="true">✓</span>
          <span className="paid-word">{statusLabel(t, 'ok')}</span>
          <span className="paid-amount">{amount}</span>
          <button type="button" className="button secondary small paid-receipt" onClick={() => setReceiptOpen(true)} data-testid="open-receipt">
            {t('receipt.open')}
          </button>
        </div>
      )}
      {(receiptOpen || autoReceipt) && (
        <ReceiptDialog record={record} merchantName={view?.settings.merchantName ?? ''} printOnOpen={autoReceipt && !receiptOpen}
          onClose={() => {
            setReceiptOpen(false);
            setAutoReceiptDone(true);
          }} />
      )}
      <header className="screen-header link-header">
        <h1 id="link-title">{t('link.title')}</h1>
        {record.isDemo && <span className="demo-tag" data-testid="demo-tag">{t('link.demo')}</span>}
      </header>

      <div className="link-layout">
        <section className="card qr-card" aria-label={t('link.qrLabel')}>
          {url ? <QrCode url={url} label={t('link.qrLabel')} onPainted={markPainted} /> : <p className="muted">{t(record.state === 'creating' ? 'link.waitingForSecupay' : 'link.noUrl')}</p>}
          <p className="qr-caption">{t('link.scan')}</p>
          <p className="link-url" title={url}>{url}</p>
        </section>

        <section className="link-details">
          <p className="big-amount" data-testid="link-amount">{amount}</p>
          {record.reference && <p className="big-reference" data-testid="link-reference">{record.reference}</p>}
          {record.basket && record.basket.length > 0 && (
            <BasketSummary basket={record.basket} currency={record.currency} className="link-basket" testId="link-basket" />
          )}
          {(customerName || record.customer?.email) && (
            <p className="link-customer muted">{[customerName, record.customer?.email].filter(Boolean).join(' · ')}</p>
          )}
          <div className={`status-line status-${tone}`} data-testid="link-status" data-status={record.status ?? ''}>
            <span className="status-dot" aria-hidden="true" />
            <span>{statusLabel(t, historyStatus(record))}</span>
          </div>
          {statusHint && <p className="status-hint muted">{t(statusHint)}</p>}
          {record.state !== 'created' && (
            <UnconfirmedCreate record={record} retrying={retrying} onRetry={() => void retry()} />
          )}
          {offline && <Notice tone="warning" testId="offline-notice">{t('link.offline')}</Notice>}
          {problem && !offline && <ErrorBanner error={problem} testId="status-problem" onOpenSettings={onOpenSettings} />}
          {(record.status === 'failed' || record.status === 'cancelled') && (
            <button type="button" className="button primary" onClick={() => onCreateAgain(record)} data-testid="create-again">
              {t('link.createAgain')}
            </button>
          )}

          <div className="actions" role="group" aria-label={t('link.actions')}>
            <ActionButton label={t('link.copyLink')} keys="l" onClick={actions.copyLink} buttonRef={copyRef} primary={!paid} disabled={!url} />
            <ActionButton label={t('link.copyEmail')} keys="e" onClick={actions.copyEmail} disabled={!url} />
            <ActionButton label={t('link.mailApp')} keys="m" onClick={() => void actions.mailApp()} disabled={!url} />
            <ActionButton label={t('link.openPage')} keys="o" onClick={() => void actions.openPage()} disabled={!url} />
            <ActionButton label={t('link.whatsapp')} keys="k" onClick={() => void actions.whatsapp()} disabled={!url} />
            <ActionButton label={t('link.sms')} keys="shift+k" onClick={() => void actions.sms()} disabled={!url} />
            <ActionButton label={t('link.display')} keys="d" onClick={() => void actions.display()} />
            <ActionButton label={t('link.savePng')} keys="s" onClick={() => void actions.savePng()} disabled={!url} />
            <ActionButton label={t('link.saveSvg')} keys="shift+s" onClick={actions.saveSvg} disabled={!url} />
            <ActionButton label={t('link.print')} keys="p" onClick={actions.print} disabled={!url} />
            <ActionButton label={t('link.newLink')} keys="n" onClick={onNewLink} buttonRef={newLinkRef} primary={paid} />
          </div>
          <div className="feedback-slot" aria-live="polite">
            {feedback && <Notice tone={feedback.tone} testId="action-feedback">{t(feedback.key)}</Notice>}
          </div>

          <details className="email-preview">
            <summary>{t('link.emailPreview', { language: languageName(t, record.language) })}</summary>
            <EmailPreview compose={email} />
          </details>
        </section>
      </div>

      <div className="print-sheet" aria-hidden="true">
        {url && <QrCode url={url} label={t('link.qrLabel')} testHook={false} />}
        <p className="print-amount">{amount}</p>
        {record.reference && <p className="print-reference">{record.reference}</p>}
      </div>
    </div>
  );
}

function EmailPreview({ compose }: { compose: () => { subject: string; body: string } }) {
  const { t } = useI18n();
  const { subject, body } = compose();
  return (
    <div className="email-text" data-testid="email-preview">
      <p><strong>{t('settings.email.subject')}:</strong> {subject}</p>
      <pre>{body}</pre>
    </div>
  );
}

function statusHintKey(status: string | null): PlainKey | null {
  switch (status) {
    case 'created':
      return 'status.created.hint';
    case 'pending':
      return 'status.pending.hint';
    case 'approved':
      return 'status.approved.hint';
    case 'failed':
      return 'status.failed.hint';
    case 'cancelled':
      return 'status.cancelled.hint';
    default:
      return null;
  }
}

function ActionButton({ label, keys, onClick, primary, disabled, buttonRef }: { label: string; keys: string; onClick: () => void; primary?: boolean; disabled?: boolean; buttonRef?: Ref<HTMLButtonElement> }) {
  const shortcut = shortcutLabel(keys);
  return (
    <button type="button" ref={buttonRef} className={primary ? 'button primary action' : 'button secondary action'} onClick={onClick}
      disabled={disabled} aria-keyshortcuts={shortcut.replace('⌘', 'Meta+')}>
      <span>{label}</span>
      <kbd>{shortcut}</kbd>
    </button>
  );
}
