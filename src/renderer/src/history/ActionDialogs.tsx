import { useState, type FormEvent } from 'react';
import { call } from '../api';
import { Field } from '../components/Field';
import { ErrorBanner } from '../components/ErrorBanner';
import { REFUND_REASON_PATTERN, ShipInputSchema, type LinkRecord, type ShipInput } from '../../../shared/link';
import { amountToInput, parseAmount } from '../../../shared/money';
import { zodIssuesByField, type AppError } from '../../../shared/errors';
import { Dialog } from './Dialog';
import { refundableCents } from './follow-up';
import { useI18n, type I18n } from '../i18n';
import { linkName } from './link-name';

export interface ActionDone {
  record?: LinkRecord;
  message: string;
}

interface ActionDialogProps {
  record: LinkRecord;
  onClose: () => void;
  onDone: (done: ActionDone) => void;
}

function LinkSummary({ record }: { record: LinkRecord }) {
  const { t, money } = useI18n();
  return (
    <p className="history-dialog-link" data-testid="dialog-link">
      {t('history.dialog.link', { amount: money(record.amountCents, record.currency), reference: record.reference || t('history.noReference') })}
    </p>
  );
}

/** A message key from a schema or the API, or text the API gave for that field. */
function fieldText(i18n: I18n, message: string | undefined): string | undefined {
  return message === undefined ? undefined : i18n.tKey(message);
}

function DialogButtons({ busy, confirmLabel, dismissLabel, onClose, danger, form }: { busy: boolean; confirmLabel: string; dismissLabel: string; onClose: () => void; danger?: boolean; form?: string }) {
  const { t } = useI18n();
  return (
    <>
      <button type="button" className="button secondary" onClick={onClose} disabled={busy}>
        {dismissLabel}
      </button>
      <button type="submit" form={form} className={danger ? 'button primary danger-fill' : 'button primary'} disabled={busy} data-testid="dialog-confirm">
        {busy ? t('history.dialog.working') : confirmLabel}
      </button>
    </>
  );
}

export function CancelDialog({ record, onClose, onDone }: ActionDialogProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const formId = `cancel-${record.merchantRef}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await call('links.cancel', { merchantRef: record.merchantRef });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    onDone({ record: result.value, message: t('history.cancel.done', { reference: linkName(record, i18n) }) });
  };
  return (
    <Dialog title={t('history.cancel.title')} onClose={onClose} busy={busy} tone="danger" testId="cancel-dialog"
      footer={<DialogButtons busy={busy} confirmLabel={t('history.cancel.confirm')} dismissLabel={t('history.cancel.keep')} onClose={onClose} danger form={formId} />}>
      <form id={formId} onSubmit={(e) => void submit(e)}>
        <LinkSummary record={record} />
        <p>{t('history.cancel.body')}</p>
        {error && <ErrorBanner error={error} testId="dialog-error" />}
      </form>
    </Dialog>
  );
}

const SHIP_FIELD_LABELS = {
  carrier: 'history.ship.carrier',
  trackingId: 'history.ship.trackingId',
  invoiceNumber: 'history.ship.invoiceNumber',
} as const;

export function ShipDialog({ record, onClose, onDone }: ActionDialogProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [values, setValues] = useState({ carrier: '', trackingId: '', invoiceNumber: record.reference });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const formId = `ship-${record.merchantRef}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input: ShipInput = { merchantRef: record.merchantRef };
    for (const key of ['carrier', 'trackingId', 'invoiceNumber'] as const) {
      const value = values[key].trim();
      if (value !== '') input[key] = value;
    }
    const parsed = ShipInputSchema.safeParse(input);
    if (!parsed.success) return setFieldErrors(zodIssuesByField(parsed.error));
    setFieldErrors({});
    setBusy(true);
    setError(null);
    const result = await call('links.ship', parsed.data);
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      if (result.error.fields) setFieldErrors(result.error.fields);
      return;
    }
    onDone({ record: result.value, message: t('history.ship.done', { reference: linkName(record, i18n) }) });
  };

  const field = (key: 'carrier' | 'trackingId' | 'invoiceNumber', max: number, hint?: string) => (
    <Field label={t(SHIP_FIELD_LABELS[key])} hint={hint} error={fieldText(i18n, fieldErrors[key])}>
      {(f) => (
        <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} maxLength={max} autoComplete="off"
          value={values[key]} onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))}
          data-autofocus={key === 'carrier' ? true : undefined} />
      )}
    </Field>
  );

  return (
    <Dialog title={t('history.ship.title')} onClose={onClose} busy={busy} testId="ship-dialog"
      footer={<DialogButtons busy={busy} confirmLabel={t('history.ship.confirm')} dismissLabel={t('history.dialog.close')} onClose={onClose} form={formId} />}>
      <form id={formId} onSubmit={(e) => void submit(e)} noValidate>
        <LinkSummary record={record} />
        <p className="muted">{t('history.ship.body')}</p>
        {field('carrier', 50, t('history.ship.carrier.hint'))}
        {field('trackingId', 100)}
        {field('invoiceNumber', 50)}
        {error && <ErrorBanner error={error} testId="dialog-error" />}
      </form>
    </Dialog>
  );
}

export function RefundDialog({ record, onClose, onDone }: ActionDialogProps) {
  const i18n = useI18n();
  const { t, money, lang } = i18n;
  const left = refundableCents(record);
  const [amountText, setAmountText] = useState(() => amountToInput(left, lang));
  const [reason, setReason] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ amount?: string; reason?: string }>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const formId = `refund-${record.merchantRef}`;
  const leftText = money(left, record.currency);
  const parsed = parseAmount(amountText, lang);
  const confirmLabel = parsed.ok && parsed.cents <= left ? t('history.refund.confirm', { amount: money(parsed.cents, record.currency) }) : t('history.refund.title');

  const check = (): { cents: number; reason: string } | null => {
    const errors: { amount?: string; reason?: string } = {};
    if (!parsed.ok) errors.amount = i18n.tKey(parsed.reason);
    else if (parsed.cents > left) errors.amount = t('history.refund.tooMuch', { left: leftText });
    const trimmed = reason.trim();
    if (!REFUND_REASON_PATTERN.test(trimmed)) errors.reason = t('validation.refund_reason');
    setFieldErrors(errors);
    return parsed.ok && errors.amount === undefined && errors.reason === undefined ? { cents: parsed.cents, reason: trimmed } : null;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = check();
    if (!checked) return;
    setBusy(true);
    setError(null);
    const result = await call('links.refund', {
      merchantRef: record.merchantRef,
      amountCents: checked.cents,
      ...(checked.reason !== '' ? { reason: checked.reason } : {}),
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      const fields = result.error.fields ?? {};
      const amountField = fields['amountCents'] ?? fields['amount'];
      setFieldErrors({
        amount: amountField === 'refund.too_much' ? t('history.refund.tooMuch', { left: leftText }) : fieldText(i18n, amountField),
        reason: fieldText(i18n, fields['reason']),
      });
      return;
    }
    onDone({
      record: result.value,
      message: t('history.refund.done', { amount: money(checked.cents, record.currency), reference: linkName(record, i18n) }),
    });
  };

  return (
    <Dialog title={t('history.refund.title')} onClose={onClose} busy={busy} testId="refund-dialog"
      footer={<DialogButtons busy={busy} confirmLabel={confirmLabel}
        dismissLabel={t('history.dialog.close')} onClose={onClose} form={formId} />}>
      <form id={formId} onSubmit={(e) => void submit(e)} noValidate>
        <LinkSummary record={record} />
        <p className="muted" data-testid="refund-summary">
          {t('history.refund.summary', {
            paid: money(record.amountCents, record.currency),
            refunded: money(record.refundedCents, record.currency),
            left: leftText,
          })}
        </p>
        <Field label={t('history.refund.amount')} hint={t('history.refund.amount.hint', { left: leftText })} error={fieldErrors.amount}>
          {(f) => (
            <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} inputMode="decimal" autoComplete="off"
              spellCheck={false} className="history-amount-input" value={amountText} data-autofocus
              onChange={(e) => setAmountText(e.target.value)} onFocus={(e) => e.target.select()} />
          )}
        </Field>
        <Field label={t('history.refund.reason')} hint={t('history.refund.reason.hint')} error={fieldErrors.reason}>
          {(f) => (
            <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} maxLength={100} autoComplete="off"
              value={reason} onChange={(e) => setReason(e.target.value)} />
          )}
        </Field>
        {error && <ErrorBanner error={error} testId="dialog-error" />}
      </form>
    </Dialog>
  );
}

export function CancelExpiredDialog({ count, days, onClose, onDone }: { count: number; days: number; onClose: () => void; onDone: (done: ActionDone & { failed: number }) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await call('links.cancelExpired', {});
    setBusy(false);
    if (!result.ok) return setError(result.error);
    const { cancelled, failed } = result.value;
    onDone({ failed, message: failed > 0 ? t('history.expired.partly', { cancelled, failed }) : t('history.expired.done', { count: cancelled }) });
  };
  return (
    <Dialog title={t('history.expired.title')} onClose={onClose} busy={busy} tone="danger" testId="expired-dialog"
      footer={<DialogButtons busy={busy} confirmLabel={t('history.expired.confirm', { count })} dismissLabel={t('history.dialog.back')} onClose={onClose} danger form="cancel-expired" />}>
      <form id="cancel-expired" onSubmit={(e) => void submit(e)}>
        <p>{t('history.expired.body', { count, days })}</p>
        {error && <ErrorBanner error={error} testId="dialog-error" />}
      </form>
    </Dialog>
  );
}
