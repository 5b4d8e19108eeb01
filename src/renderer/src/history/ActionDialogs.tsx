import { useState, type FormEvent } from 'react';
import { call } from '../api';
import { Field } from '../components/Field';
import { ErrorBanner } from '../components/ErrorBanner';
import { REFUND_REASON_PATTERN, ShipInputSchema, type LinkRecord, type ShipInput } from '../../../shared/link';
import { amountToInput, parseAmount } from '../../../shared/money';
import { zodIssuesByField, type AppError } from '../../../shared/errors';
import { Dialog } from './Dialog';
import { refundableCents } from './follow-up';
import { useHistoryI18n, type HistoryI18n } from './history-i18n';

export interface ActionDone {
  record?: LinkRecord;
  message: string;
}

interface ActionDialogProps {
  record: LinkRecord;
  onClose: () => void;
  onDone: (done: ActionDone) => void;
}

function referenceOf(record: LinkRecord, i18n: HistoryI18n): string {
  return record.reference || i18n.th('history.noReference');
}

function LinkSummary({ record }: { record: LinkRecord }) {
  const i18n = useHistoryI18n();
  return (
    <p className="history-dialog-link" data-testid="dialog-link">
      {i18n.th('history.dialog.link', { amount: i18n.money(record.amountCents, record.currency), reference: referenceOf(record, i18n) })}
    </p>
  );
}

/** A message key from a schema or the API, or text the API gave for that field. */
function fieldText(i18n: HistoryI18n, message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  return /^[a-z_]+(\.[a-z_]+)+$/.test(message) ? i18n.tKey(message) : message;
}

function DialogButtons({ busy, confirmLabel, dismissLabel, onClose, danger, form }: { busy: boolean; confirmLabel: string; dismissLabel: string; onClose: () => void; danger?: boolean; form?: string }) {
  const { th } = useHistoryI18n();
  return (
    <>
      <button type="button" className="button secondary" onClick={onClose} disabled={busy}>
        {dismissLabel}
      </button>
      <button type="submit" form={form} className={danger ? 'button primary danger-fill' : 'button primary'} disabled={busy} data-testid="dialog-confirm">
        {busy ? th('history.dialog.working') : confirmLabel}
      </button>
    </>
  );
}

export function CancelDialog({ record, onClose, onDone }: ActionDialogProps) {
  const i18n = useHistoryI18n();
  const { th } = i18n;
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
    onDone({ record: result.value, message: th('history.cancel.done', { reference: referenceOf(record, i18n) }) });
  };
  return (
    <Dialog title={th('history.cancel.title')} onClose={onClose} busy={busy} tone="danger" testId="cancel-dialog"
      footer={<DialogButtons busy={busy} confirmLabel={th('history.cancel.confirm')} dismissLabel={th('history.cancel.keep')} onClose={onClose} danger form={formId} />}>
      <form id={formId} onSubmit={(e) => void submit(e)}>
        <LinkSummary record={record} />
        <p>{th('history.cancel.body')}</p>
        {error && <ErrorBanner error={error} testId="dialog-error" />}
      </form>
    </Dialog>
  );
}

export function ShipDialog({ record, onClose, onDone }: ActionDialogProps) {
  const i18n = useHistoryI18n();
  const { th } = i18n;
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
    onDone({ record: result.value, message: th('history.ship.done', { reference: referenceOf(record, i18n) }) });
  };

  const field = (key: 'carrier' | 'trackingId' | 'invoiceNumber', max: number, hint?: string) => (
    <Field label={th(`history.ship.${key}`)} hint={hint} error={fieldText(i18n, fieldErrors[key])}>
      {(f) => (
        <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} maxLength={max} autoComplete="off"
          value={values[key]} onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))}
          data-autofocus={key === 'carrier' ? true : undefined} />
      )}
    </Field>
  );

  return (
    <Dialog title={th('history.ship.title')} onClose={onClose} busy={busy} testId="ship-dialog"
      footer={<DialogButtons busy={busy} confirmLabel={th('history.ship.confirm')} dismissLabel={th('history.dialog.close')} onClose={onClose} form={formId} />}>
      <form id={formId} onSubmit={(e) => void submit(e)} noValidate>
        <LinkSummary record={record} />
        <p className="muted">{th('history.ship.body')}</p>
        {field('carrier', 50, th('history.ship.carrier.hint'))}
        {field('trackingId', 100)}
        {field('invoiceNumber', 50)}
        {error && <ErrorBanner error={error} testId="dialog-error" />}
      </form>
    </Dialog>
  );
}

export function RefundDialog({ record, onClose, onDone }: ActionDialogProps) {
  const i18n = useHistoryI18n();
  const { th, money, lang } = i18n;
  const left = refundableCents(record);
  const [amountText, setAmountText] = useState(() => amountToInput(left, lang));
  const [reason, setReason] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ amount?: string; reason?: string }>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const formId = `refund-${record.merchantRef}`;
  const leftText = money(left, record.currency);
  const parsed = parseAmount(amountText, lang);
  const confirmLabel = parsed.ok && parsed.cents <= left ? th('history.refund.confirm', { amount: money(parsed.cents, record.currency) }) : th('history.refund.title');

  const check = (): { cents: number; reason: string } | null => {
    const errors: { amount?: string; reason?: string } = {};
    if (!parsed.ok) errors.amount = i18n.tKey(parsed.reason);
    else if (parsed.cents > left) errors.amount = th('history.refund.tooMuch', { left: leftText });
    const trimmed = reason.trim();
    if (!REFUND_REASON_PATTERN.test(trimmed)) errors.reason = th('history.refund.reasonInvalid');
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
        amount: amountField === 'refund.too_much' ? th('history.refund.tooMuch', { left: leftText }) : fieldText(i18n, amountField),
        reason: fieldText(i18n, fields['reason']),
      });
      return;
    }
    onDone({
      record: result.value,
      message: th('history.refund.done', { amount: money(checked.cents, record.currency), reference: referenceOf(record, i18n) }),
    });
  };

  return (
    <Dialog title={th('history.refund.title')} onClose={onClose} busy={busy} testId="refund-dialog"
      footer={<DialogButtons busy={busy} confirmLabel={confirmLabel}
        dismissLabel={th('history.dialog.close')} onClose={onClose} form={formId} />}>
      <form id={formId} onSubmit={(e) => void submit(e)} noValidate>
        <LinkSummary record={record} />
        <p className="muted" data-testid="refund-summary">
          {th('history.refund.summary', {
            paid: money(record.amountCents, record.currency),
            refunded: money(record.refundedCents, record.currency),
            left: leftText,
          })}
        </p>
        <Field label={th('history.refund.amount')} hint={th('history.refund.amount.hint', { left: leftText })} error={fieldErrors.amount}>
          {(f) => (
            <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} inputMode="decimal" autoComplete="off"
              spellCheck={false} className="history-amount-input" value={amountText} data-autofocus
              onChange={(e) => setAmountText(e.target.value)} onFocus={(e) => e.target.select()} />
          )}
        </Field>
        <Field label={th('history.refund.reason')} hint={th('history.refund.reason.hint')} error={fieldErrors.reason}>
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
  const { th, thn } = useHistoryI18n();
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
    onDone({ failed, message: failed > 0 ? th('history.expired.partly', { cancelled, failed }) : thn('history.expired.done', cancelled, { cancelled }) });
  };
  return (
    <Dialog title={th('history.expired.title')} onClose={onClose} busy={busy} tone="danger" testId="expired-dialog"
      footer={<DialogButtons busy={busy} confirmLabel={thn('history.expired.confirm', count)} dismissLabel={th('history.dialog.back')} onClose={onClose} danger form="cancel-expired" />}>
      <form id="cancel-expired" onSubmit={(e) => void submit(e)}>
        <p>{thn('history.expired.body', count, { days })}</p>
        {error && <ErrorBanner error={error} testId="dialog-error" />}
      </form>
    </Dialog>
  );
}
