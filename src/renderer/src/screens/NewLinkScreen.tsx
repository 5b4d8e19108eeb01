import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { CURRENCIES, type Currency } from '../../../shared/money';
import { PAYMENT_METHODS, type LinkRecord, type PaymentMethodChoice } from '../../../shared/link';
import { countryOptions } from '../../../shared/countries';
import type { AppError } from '../../../shared/errors';
import type { Language } from '../../../shared/settings';
import { useI18n } from '../i18n';
import { languageName, methodLabel } from '../../../shared/i18n/labels';
import { call } from '../api';
import { AmountField } from '../components/AmountField';
import { Field } from '../components/Field';
import { ErrorBanner } from '../components/ErrorBanner';
import { checkDraft, hasCustomerData, type LinkDraft } from '../link-draft';
import { shortcutLabel, useShortcuts } from '../shortcuts';
import { CREATED_MARK } from '../bench-marks';
import { useWarmUp } from '../use-warm-up';
import { listFormat, type PlainKey } from '../../../shared/i18n';
import { CREATE_LINK_LIMITS } from '../schema-limits';
import { BasketPanel } from '../components/BasketPanel';
import { MAX_BASKET_LINES, QUICK_ITEM_KEYS, addItem, freeLine, basketTotalCents, type BasketLine, type QuickItem } from '../../../shared/basket';
import { amountToInput, parseAmount } from '../../../shared/money';
import { translator } from '../../../shared/i18n';

export interface NewLinkScreenProps {
  draft: LinkDraft;
  onDraftChange: (draft: LinkDraft) => void;
  onCreated: (record: LinkRecord) => void;
  /** Changes whenever "New link" is asked for again while this screen is open: focus the amount. */
  focusToken: number;
  /** For an account error (credentials, contract) the banner offers a way to Settings. */
  onOpenSettings?: () => void;
  /** Settings' quick-pick items, as buttons above the amount. */
  quickItems?: readonly QuickItem[];
}

/** Where a digit types rather than picks an item. */
function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** 1–9 from the top row or the number pad, as the index of a quick-pick item. */
function itemIndexOfKey(event: globalThis.KeyboardEvent): number | null {
  const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
  return match ? Number(match[1]) - 1 : null;
}

type CustomerText = Exclude<keyof LinkDraft['customer'], 'address'>;
type AddressText = keyof LinkDraft['customer']['address'];

/** The label of each form path, for the summary next to the button ("Please check: E-mail, Phone"). */
const FIELD_LABELS: Record<string, PlainKey> = {
  amountCents: 'new.amount',
  currency: 'new.currency',
  reference: 'new.reference',
  language: 'new.language',
  paymentMethod: 'new.method',
  'customer.salutation': 'customer.salutation',
  'customer.forename': 'customer.forename',
  'customer.surname': 'customer.surname',
  'customer.companyname': 'customer.company',
  'customer.email': 'customer.email',
  'customer.phone': 'customer.phone',
  'customer.mobile': 'customer.mobile',
  'customer.dob': 'customer.dob',
  'customer.address.street': 'customer.street',
  'customer.address.street_number': 'customer.streetNumber',
  'customer.address.additional_address_data': 'customer.additional',
  'customer.address.postal_code': 'customer.postalCode',
  'customer.address.city': 'customer.city',
  'customer.address.country': 'customer.country',
  'returnUrls.success': 'settings.returnUrls.success',
  'returnUrls.error': 'settings.returnUrls.error',
  'returnUrls.abort': 'settings.returnUrls.abort',
  basket: 'basket.title',
};


export function NewLinkScreen({ draft, onDraftChange, onCreated, focusToken, onOpenSettings, quickItems = [] }: NewLinkScreenProps) {
  const { t, tKey, lang } = useI18n();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const [customerOpen, setCustomerOpen] = useState(() => hasCustomerData(draft));
  const [moreOpen, setMoreOpen] = useState(false);
  const amountRef = useRef<HTMLInputElement>(null);
  const warmUp = useWarmUp();

  useEffect(() => {
    amountRef.current?.focus();
  }, [focusToken]);

  const update = (patch: (d: LinkDraft) => void, clear?: string) => {
    const next = structuredClone(draft);
    patch(next);
    onDraftChange(next);
    if (clear && errors[clear]) {
      setErrors(({ [clear]: _dropped, ...rest }) => rest);
    }
  };
  const fieldText = (path: string) => {
    const message = errors[path];
    return message === undefined ? undefined : tKey(message);
  };
  const invalidLabels = Object.keys(errors).flatMap((path) => {
    const label = FIELD_LABELS[path];
    return label ? [t(label)] : [];
  });

  const showFieldErrors = (fields: Record<string, string>) => {
    setErrors(fields);
    const paths = Object.keys(fields);
    if (paths.some((p) => p.startsWith('customer'))) setCustomerOpen(true);
    if (paths.some((p) => p.startsWith('returnUrls'))) setMoreOpen(true);
    // Put the cursor where the first problem is, in view above the sticky button bar (which would
    // hide a field near the bottom), so the click visibly did something and it can be fixed at once.
    requestAnimationFrame(() => {
      const first = document.querySelector<HTMLElement>('.new-link [aria-invalid="true"]');
      first?.scrollIntoView({ block: 'center', behavior: 'instant' });
      first?.focus({ preventScroll: true });
    });
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busyRef.current) return;
    setFailure(null);
    const checked = checkDraft(draft, lang);
    if (!checked.ok) {
      showFieldErrors(checked.fields);
      return;
    }
    busyRef.current = true;
    setBusy(true);
    const result = await call('links.create', checked.input);
    busyRef.current = false;
    setBusy(false);
    if (result.ok) {
      performance.mark(CREATED_MARK);
      setErrors({});
      onCreated(result.value);
      return;
    }
    // Everything typed stays in the form; the problems go next to their fields or into the banner.
    if (result.error.fields && Object.keys(result.error.fields).length > 0) showFieldErrors(result.error.fields);
    setFailure(result.error);
  };

  useShortcuts({ Enter: () => void submit() });

  const setBasket = (basket: BasketLine[]): boolean => {
    // Past the limit the schema would refuse the whole link at Enter: say so now and keep the basket.
    if (basket.length > MAX_BASKET_LINES) {
      setErrors((current) => ({ ...current, basket: 'basket.too_many_lines' }));
      return false;
    }
    if (errors['basket']) setErrors(({ basket: _dropped, ...rest }) => rest);
    update((d) => {
      d.basket = basket;
      d.amountText = '';
    }, 'amountCents');
    return true;
  };
  const freeLineName = translator(draft.language)('basket.free_line');
  /** An item into the basket; an amount typed before the first item goes in as a free line, not lost. */
  const pickItem = (item: QuickItem) => {
    warmUp();
    let basket = draft.basket;
    if (basket.length === 0 && draft.amountText.trim() !== '') {
      const typed = parseAmount(draft.amountText, lang);
      if (!typed.ok) {
        setErrors((current) => ({ ...current, amountCents: typed.reason }));
        amountRef.current?.focus();
        return;
      }
      basket = [freeLine(freeLineName, typed.cents)];
    }
    setBasket(addItem(basket, item));
  };
  const pickRef = useRef(pickItem);
  useEffect(() => {
    pickRef.current = pickItem;
  });
  useEffect(() => {
    if (quickItems.length === 0) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey) return;
      // Plain digits pick items only where they would not type; Alt+digit picks anywhere.
      if (!event.altKey && isTypingTarget(event.target)) return;
      const index = itemIndexOfKey(event);
      const item = index === null || index >= QUICK_ITEM_KEYS ? undefined : quickItems[index];
      if (!item) return;
      event.preventDefault();
      pickRef.current(item);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [quickItems]);
  const basketTotal = basketTotalCents(draft.basket);

  const onFormKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    // Enter in a select does not submit a form by itself; at the counter it should.
    if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey && (event.target as HTMLElement).tagName === 'SELECT') {
      event.preventDefault();
      void submit();
    }
  };

  const customerText = (name: CustomerText, label: PlainKey, type = 'text', autoComplete?: string) => (
    <Field label={t(label)} error={fieldText(`customer.${name}`)}>
      {(f) => (
        <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} type={type} autoComplete={autoComplete ?? 'off'}
          maxLength={CREATE_LINK_LIMITS.customer[name]} value={draft.customer[name]} onChange={(e) => update((d) => void (d.customer[name] = e.target.value), `customer.${name}`)} />
      )}
    </Field>
  );
  const addressText = (name: AddressText, label: PlainKey, className?: string) => (
    <Field label={t(label)} error={fieldText(`customer.address.${name}`)} className={className}>
      {(f) => (
        <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} autoComplete="off"
          maxLength={CREATE_LINK_LIMITS.address[name]} value={draft.customer.address[name]} onChange={(e) => update((d) => void (d.customer.address[name] = e.target.value), `customer.address.${name}`)} />
      )}
    </Field>
  );

  const customerSummary = [[draft.customer.forename, draft.customer.surname].filter(Boolean).join(' '), draft.customer.companyname, draft.customer.email]
    .map((s) => s.trim())
    .filter(Boolean)
    .join(' · ');

  return (
    <form className="screen new-link" onSubmit={(e) => void submit(e)} onKeyDown={onFormKeyDown} noValidate aria-labelledby="new-title" aria-busy={busy}>
      <header className="screen-header">
        <h1 id="new-title">{t('new.title')}</h1>
        <p className="subtitle">{t('new.subtitle')}</p>
      </header>

      <section className="card new-main">
        {(quickItems.length > 0 || draft.basket.length > 0) && (
          <BasketPanel items={quickItems} basket={draft.basket} onBasketChange={setBasket} onItem={pickItem}
            currency={draft.currency} locale={lang} freeLineName={freeLineName} error={fieldText('basket')} />
        )}
        {/* Focus or a key in the amount: a link is coming, main readies token and connection. */}
        <div className="amount-row" onFocus={warmUp} onKeyDown={warmUp}>
          <AmountField
            value={draft.amountText}
            locale={lang}
            currency={draft.currency}
            error={errors['amountCents']}
            inputRef={amountRef}
            autoFocus
            {...(draft.basket.length > 0 ? { fixed: { text: amountToInput(basketTotal, lang), hint: t('basket.amount_is_total') } } : {})}
            onChange={(text) => update((d) => void (d.amountText = text), 'amountCents')}
          />
          <Field label={t('new.currency')} className="currency-field">
            {(f) => (
              <select id={f.id} value={draft.currency} onChange={(e) => update((d) => void (d.currency = e.target.value as Currency))}>
                {CURRENCIES.map((c) => <option key={c} value={c}>{c}</option>)}
              </select>
            )}
          </Field>
        </div>
        <Field label={t('new.reference')} hint={t('new.reference.hint')} error={fieldText('reference')}>
          {(f) => (
            <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} autoComplete="off" maxLength={CREATE_LINK_LIMITS.reference}
              value={draft.reference} onChange={(e) => update((d) => void (d.reference = e.target.value), 'reference')} />
          )}
        </Field>
        <div className="grid-2">
          <Field label={t('new.language')} error={fieldText('language')}>
            {(f) => (
              <select id={f.id} aria-describedby={f.describedBy} value={draft.language} onChange={(e) => update((d) => void (d.language = e.target.value as Language))}>
                <option value="de">{languageName(t, 'de')}</option>
                <option value="en">{languageName(t, 'en')}</option>
              </select>
            )}
          </Field>
          <Field label={t('new.method')} hint={t('new.method.hint')} error={fieldText('paymentMethod')}>
            {(f) => (
              <select id={f.id} aria-describedby={f.describedBy} value={draft.paymentMethod} onChange={(e) => update((d) => void (d.paymentMethod = e.target.value as PaymentMethodChoice))}>
                <option value="any">{methodLabel(t, 'any')}</option>
                {PAYMENT_METHODS.map((m) => <option key={m} value={m}>{methodLabel(t, m)}</option>)}
              </select>
            )}
          </Field>
        </div>
      </section>

      <section className="card disclosure">
        <button type="button" className="disclosure-toggle" aria-expanded={customerOpen} aria-controls="customer-fields" onClick={() => setCustomerOpen((o) => !o)}>
          <span className="chevron" aria-hidden="true">▸</span>
          <span className="disclosure-title">{t('new.customer')}</span>
          {!customerOpen && customerSummary && <span className="disclosure-summary">{customerSummary}</span>}
        </button>
        {customerOpen && (
          <div id="customer-fields" className="disclosure-body">
            <p className="muted small">{t('new.customer.hint')}</p>
            <div className="grid-3">
              <Field label={t('customer.salutation')} error={fieldText('customer.salutation')}>
                {(f) => (
                  <select id={f.id} aria-describedby={f.describedBy} value={draft.customer.salutation} onChange={(e) => update((d) => void (d.customer.salutation = e.target.value), 'customer.salutation')}>
                    <option value="">{t('customer.salutation.none')}</option>
                    <option value="Frau">{t('customer.salutation.ms')}</option>
                    <option value="Herr">{t('customer.salutation.mr')}</option>
                  </select>
                )}
              </Field>
              {customerText('forename', 'customer.forename')}
              {customerText('surname', 'customer.surname')}
            </div>
            <div className="grid-2">
              {customerText('companyname', 'customer.company')}
              {customerText('email', 'customer.email', 'email')}
            </div>
            <div className="grid-3">
              {customerText('phone', 'customer.phone', 'tel')}
              {customerText('mobile', 'customer.mobile', 'tel')}
              {customerText('dob', 'customer.dob', 'date')}
            </div>
            <div className="grid-street">
              {addressText('street', 'customer.street')}
              {addressText('street_number', 'customer.streetNumber')}
            </div>
            {addressText('additional_address_data', 'customer.additional')}
            <div className="grid-city">
              {addressText('postal_code', 'customer.postalCode')}
              {addressText('city', 'customer.city')}
              <Field label={t('customer.country')} error={fieldText('customer.address.country')}>
                {(f) => (
                  <select id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} value={draft.customer.address.country}
                    onChange={(e) => update((d) => void (d.customer.address.country = e.target.value), 'customer.address.country')}>
                    <option value="">{t('customer.country.none')}</option>
                    {countryOptions(lang).map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
                  </select>
                )}
              </Field>
            </div>
          </div>
        )}
      </section>

      <section className="card disclosure">
        <button type="button" className="disclosure-toggle" aria-expanded={moreOpen} aria-controls="more-fields" onClick={() => setMoreOpen((o) => !o)}>
          <span className="chevron" aria-hidden="true">▸</span>
          <span className="disclosure-title">{t('new.more')}</span>
        </button>
        {moreOpen && (
          <div id="more-fields" className="disclosure-body">
            <p className="muted small">{t('new.more.hint')}</p>
            {(['success', 'error', 'abort'] as const).map((kind) => (
              <Field key={kind} label={t(`settings.returnUrls.${kind}`)} error={fieldText(`returnUrls.${kind}`)}>
                {(f) => (
                  <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} type="url" placeholder="https://" maxLength={CREATE_LINK_LIMITS.returnUrl}
                    value={draft.returnUrls[kind]} onChange={(e) => update((d) => void (d.returnUrls[kind] = e.target.value), `returnUrls.${kind}`)} />
                )}
              </Field>
            ))}
          </div>
        )}
      </section>

      <footer className="form-footer">
        {failure && <ErrorBanner error={failure} testId="create-error" onOpenSettings={onOpenSettings} />}
        {!failure && invalidLabels.length > 0 && (
          <p className="field-error form-summary" data-testid="create-summary">
            {t('new.invalid', { count: invalidLabels.length, fields: listFormat(lang, invalidLabels) })}
          </p>
        )}
        <button type="submit" className="button primary large" disabled={busy} aria-keyshortcuts="Enter">
          {busy ? t('new.creating') : t('new.create')}
          <kbd className="on-primary">↵</kbd>
        </button>
      </footer>
      <p className="shortcut-line muted small">
        {t('new.shortcuts', { settings: shortcutLabel(',') })}
        {quickItems.length > 0 && <> {t('basket.keys', { last: Math.min(QUICK_ITEM_KEYS, quickItems.length) })}</>}
      </p>
    </form>
  );
}
