import { useEffect } from 'react';
import { isPaidStatus, statusTone } from '../../../shared/status';
import { statusLabel } from '../../../shared/i18n/labels';
import { I18nProvider, useI18n } from '../i18n';
import type { UiLocale } from '../../../shared/money';
import { QrCode } from '../components/QrCode';
import { BasketSummary } from '../components/BasketSummary';
import { useLinkStatus } from '../use-link-status';

/**
 * The window the customer looks at: amount, QR code, status, nothing else. It speaks the payment
 * page's language (the customer's), not the merchant's.
 */
export function CustomerDisplay({ merchantRef, fallbackLang }: { merchantRef: string; fallbackLang: UiLocale }) {
  const { record, offline } = useLinkStatus(merchantRef, null);
  const lang = record?.language ?? fallbackLang;
  return (
    <I18nProvider lang={lang}>
      <DisplayBody record={record} offline={offline} />
    </I18nProvider>
  );
}

function DisplayBody({ record, offline }: Pick<ReturnType<typeof useLinkStatus>, 'record' | 'offline'>) {
  const { t, money, lang } = useI18n();
  const amount = record ? money(record.amountCents, record.currency) : '';
  const paid = isPaidStatus(record?.status);

  useEffect(() => {
    document.title = `${t('display.title')}${amount ? ` · ${amount}` : ''}`;
    document.documentElement.lang = lang;
  }, [t, amount, lang]);

  if (!record) {
    return (
      <main className="customer-display" data-testid="customer-display">
        <p className="display-status">{offline ? t('link.offline') : t('app.loading')}</p>
      </main>
    );
  }
  if (paid) {
    return (
      <main className="customer-display paid" data-testid="customer-display">
        <div className="display-thanks" role="status" data-testid="display-thanks">
          <span className="display-check" aria-hidden="true">✓</span>
          <h1>{t('display.thanks')}</h1>
          <p className="display-paid-amount">{t('display.paidAmount', { amount })}</p>
        </div>
      </main>
    );
  }
  return (
    <main className={`customer-display tone-${statusTone(record.status)}`} data-testid="customer-display">
      {record.isDemo && <p className="display-demo">{t('link.demo')}</p>}
      <p className="display-amount" data-testid="display-amount">{amount}</p>
      {record.reference && <p className="display-reference" title={record.reference}>{record.reference}</p>}
      {record.basket && record.basket.length > 0 && (
        <BasketSummary basket={record.basket} currency={record.currency} className="display-basket" testId="display-basket" />
      )}
      {record.paymentUrl && <QrCode url={record.paymentUrl} label={t('link.qrLabel')} className="display-qr" />}
      <p className="display-scan">{t('display.scan')}</p>
      <p className={`display-status status-${statusTone(record.status)}`} data-testid="display-status" aria-live="polite">
        {statusLabel(t, record.status)}
      </p>
      {offline && <p className="display-offline">{t('link.offline')}</p>}
    </main>
  );
}
